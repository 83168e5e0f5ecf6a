import { expect, test, type Page } from '@playwright/test';
import { foreign, watchCsp, watchRequests } from './cspWatch';
import { figure, heatmapFills, openExplorer, screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';

// A small N keeps the several analyses of each page quick on wasm.
const QUERY = 'backend=wasm&samples=128';

/** Every chart caption on the page, sorted (a caption names the result drawn, not the request). */
async function captions(page: Page): Promise<string[]> {
  return (await page.locator('figure.strata-chart figcaption').allInnerTexts()).sort();
}

/**
 * Waits until every chart shows a result for the current controls: each caption containing one of
 * `stale` (text of the view before the changes) or "(computing…)" is gone. Not the progress bars:
 * a late progress event can leave one on show after its result arrived (see the report).
 */
async function settledCaptions(page: Page, stale: RegExp): Promise<string[]> {
  await expect
    .poll(
      async () => (await captions(page)).filter((c) => stale.test(c) || c.includes('(computing…)')),
      {
        timeout: 150_000,
      },
    )
    .toEqual([]);
  return captions(page);
}

/** The state of the controls a link carries. */
async function controls(page: Page) {
  return {
    model: await page.getByLabel('Model', { exact: true }).inputValue(),
    ckaVariant: await page.getByLabel('CKA variant', { exact: true }).inputValue(),
    pooling: await page.getByLabel('Pooling', { exact: true }).inputValue(),
    a: await page.getByLabel('Checkpoint A', { exact: true }).inputValue(),
    b: await page.getByLabel('Checkpoint B', { exact: true }).inputValue(),
    compareBy: await page.getByLabel('Compare by', { exact: true }).inputValue(),
    threshold: await page.getByRole('slider', { name: /Threshold τ/ }).inputValue(),
  };
}

test('a copied link reopens the same view in a new browser context', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  test.setTimeout(420_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const errors = watchErrors(page);
  await openExplorer(page, QUERY);

  await page.getByLabel('CKA variant', { exact: true }).selectOption('cka-debiased');
  await page.getByLabel('Pooling', { exact: true }).selectOption('mean');
  await page.getByLabel('Checkpoint A', { exact: true }).selectOption('mnist-multihead');
  await page.getByLabel('Compare by', { exact: true }).selectOption('cka');
  const slider = page.getByRole('slider', { name: /Threshold τ/ });
  await slider.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft'); // τ 0.9 → 0.85
  await expect(slider).toHaveValue('0.85');
  const before = await controls(page);
  const view = await settledCaptions(
    page,
    /class-token pooling|Linear CKA|mnist-standard|threshold 0\.9,/,
  );
  expect(view.join('\n')).toContain('Debiased CKA · mnist-aligned · mnist test, N = 128');
  expect(view.join('\n')).toContain('A: Debiased CKA · mnist-multihead');
  expect(view.join('\n')).toContain('Exit layers at threshold 0.85');

  // From the keyboard: focus the button and press Enter.
  await page.getByRole('button', { name: 'Copy link' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(page.url());
  expect(link).toContain('?backend=wasm&samples=128#v=1&');
  expect(link).toContain('metric=cka-debiased');
  expect(link).toContain('pooling=mean');
  expect(link).toContain('compare.a=mnist-multihead');
  expect(link).toContain('compare.metric=cka');
  expect(link).toContain('exit.threshold=0.85');
  await screenshot(page, 'share-link-copied', page.locator('header.topbar'));
  expect(errors).toEqual([]);

  const fresh = await browser.newContext();
  const requests = watchRequests(fresh);
  const cspViolations = await watchCsp(fresh);
  const other = await fresh.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(link);
  await expect
    .poll(async () => (await heatmapFills(figure(other, /^Debiased CKA · mnist-aligned/))).length, {
      timeout: 150_000,
    })
    .toBeGreaterThan(1);
  expect(await controls(other)).toEqual(before);
  await expect.poll(() => captions(other), { timeout: 150_000 }).toEqual(view);
  await screenshot(other, 'share-link-reopened');
  expect(otherErrors).toEqual([]);
  expect(await cspViolations(other)).toEqual([]);
  const origin = new URL(link).origin;
  expect(requests.length).toBeGreaterThan(5);
  expect(foreign(requests, origin)).toEqual([]);
  await fresh.close();
});

test('a garbage link opens the default view with one notice and no error', async ({ page }) => {
  const errors = watchErrors(page);
  const garbage = `#%E0%A4%A=1&__proto__=x&constructor=y&metric=nope&samples=12&samples=13&x=${'%'.repeat(500)}`;
  await openExplorer(page, `${QUERY}${garbage}`);
  const notices = page.getByRole('alert').locator('.notice');
  await expect(notices).toHaveCount(1);
  await expect(notices.first()).toContainText('Ignored part of the link:');
  await expect(notices.first()).toContainText('metric = "nope"');
  expect(await page.getByLabel('CKA variant', { exact: true }).inputValue()).toBe('cka');
  expect(await page.getByLabel('Pooling', { exact: true }).inputValue()).toBe('cls');
  await expect(
    figure(page, /^Linear CKA · mnist-aligned · mnist test, N = 128 · class-token/),
  ).toBeVisible();
  // Once the catalogue has checked the view, the hash is rewritten to it: the garbage is gone.
  await expect
    .poll(() => new URL(page.url()).hash)
    .toBe(
      '#v=1&model=mnist-aligned&dataset=mnist&compare.a=mnist-standard&compare.b=mnist-aligned',
    );
  await screenshot(page, 'share-link-garbage');

  // Editing the hash by hand applies it, with its own notice.
  await page.evaluate(() => {
    window.location.hash = '#v=1&pooling=mean&nope=1';
  });
  await expect(page.getByLabel('Pooling', { exact: true })).toHaveValue('mean');
  await expect(page.getByRole('alert')).toContainText('unknown key "nope"');
  expect(errors).toEqual([]);
});

test('without clipboard access the link is shown, selected, in a read-only field', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
  });
  await openExplorer(page, QUERY);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const field = page.getByLabel('Link to this view', { exact: true });
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute('readonly', '');
  await expect(field).toHaveValue(page.url());
  expect(
    await field.evaluate((el: HTMLInputElement) => el.selectionEnd! - el.selectionStart!),
  ).toBe(page.url().length);
  await expect(
    page.getByRole('status').filter({ hasText: 'Copy the selected link' }),
  ).toBeVisible();
  await screenshot(page, 'share-link-fallback', page.locator('header.topbar'));
  await page.keyboard.press('Escape');
  await expect(field).toHaveCount(0);
  expect(errors).toEqual([]);
});
