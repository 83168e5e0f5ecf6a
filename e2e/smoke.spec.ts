import { expect, test } from '@playwright/test';
import { foreign, watchCsp, watchRequests } from './cspWatch';
import { openExplorer } from './explorerPage';
import { watchErrors } from './pageErrors';

/** float64 reference of the engine check, built from the formula the page states. */
function referenceSoftmax(seed: number, m = 8, k = 16, n = 4): number[][] {
  const a = (i: number, j: number) => Math.sin(seed + 0.7 * i + 1.3 * j);
  const b = (i: number, j: number) => Math.cos(seed - 0.4 * i + 0.9 * j);
  return Array.from({ length: m }, (_, i) => {
    const z = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let t = 0; t < k; t++) s += a(i, t) * b(t, j);
      return s;
    });
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const total = e.reduce((x, y) => x + y, 0);
    return e.map((v) => v / total);
  });
}

// One page per backend carries the engine check and the page's CSP and origin checks.
for (const backend of ['wasm', 'webgl', 'cpu', 'webgpu'] as const) {
  test(`on ${backend} the engine matches a float64 reference; the page analyses under its CSP, asking only its own origin`, async ({
    page,
    context,
    baseURL,
  }) => {
    test.setTimeout(300_000);
    const requests = watchRequests(context);
    const cspViolations = await watchCsp(context);
    const errors = watchErrors(page);
    // The smallest N: WebGPU on the software adapter is correct but very slow.
    await openExplorer(page, `backend=${backend}&samples=16`, 240_000);
    const badge = page.getByRole('status', { name: 'Engine backend' });
    await expect(badge).toHaveAttribute('data-backend', backend);
    await expect(badge).toContainText(backend);
    // Cross-origin isolation (the preview server's COOP/COEP) turns on the threaded wasm build.
    if (backend === 'wasm') await expect(badge).toContainText('wasm · threads');

    // The pipe check sits in the collapsed Diagnostics section.
    await page.getByText('Diagnostics', { exact: true }).click();
    const table = page.getByRole('table', { name: 'Engine check result' });
    await expect(table).toBeVisible();
    const seed = Number(await table.getAttribute('data-seed'));
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => Number(td.textContent))),
      );
    const expected = referenceSoftmax(seed);
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) =>
      row.forEach((v, j) => expect(Math.abs(v - expected[i][j])).toBeLessThan(1e-4)),
    );

    const csp = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(csp).toContain("connect-src 'self'");
    expect(await cspViolations(page)).toEqual([]);
    // The worker fetched the model and the dataset: those requests were seen, and all were local.
    expect(requests.some((u) => u.includes('/models/'))).toBe(true);
    expect(foreign(requests, new URL(baseURL!).origin)).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('a wrong ?backend value is reported and the policy still picks a backend', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/?backend=tpu');
  await expect(page.getByRole('alert')).toContainText('Ignored ?backend=tpu');
  // SwiftShader is a software adapter: the policy prefers WASM there.
  await expect(page.getByRole('status', { name: 'Engine backend' })).toHaveAttribute(
    'data-backend',
    'wasm',
  );
  expect(errors).toEqual([]);
});

test('an engine worker that cannot load says so instead of starting for ever', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // The worker's script is served broken, as a bad deploy or a proxy could.
  await page.route(/\/assets\/worker-[^/]*\.js$/, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: 'this is not JavaScript' }),
  );
  await page.goto('/');
  const badge = page.getByRole('status', { name: 'Engine backend' });
  await expect(badge).toContainText('engine failed', { timeout: 30_000 });
  await expect(badge).toHaveAttribute('title', /Reload the page/);
  await expect(page.getByRole('alert')).toContainText('the engine worker failed');
  expect(pageErrors).toEqual([]);
});
