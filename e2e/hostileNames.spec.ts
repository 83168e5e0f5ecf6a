// Class names are the user's strings: a dataset whose class folders are named with HTML and script
// payloads must show them as text in the page, in an exported SVG and in the report, and run
// nothing anywhere (issue 7, "Safe"). The report's own CSP would block a script even if one got
// through, so the checks look at the documents themselves: no element or attribute made from a name.
import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'fflate';
import { encodePng } from './fixtures/png';
import { ARTIFACTS, figure, heatmapFills, openExplorer, screenshot } from './explorerPage';
import { exportAs } from './exportFiles';
import { watchErrors } from './pageErrors';

// Ten names, one per digit, so the MNIST models read the dataset. No '/' (they are folder names).
const PAYLOADS = [
  '<img src=x onerror=window.__pwned=1>',
  '"><svg onload=window.__pwned=2>',
  ']]><script>window.__pwned=3<!--',
  '<iframe srcdoc=x onload=window.__pwned=4>',
  "'; window.__pwned=5; '",
  '<style>body{display:none}',
  '<a href=javascript:window.__pwned=7>link',
  "{{constructor.constructor('window.__pwned=8')()}}",
  '&lt;escaped&gt; & "quotes"',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=10>',
];

/** Elements and attributes a payload would create if it were parsed as markup. */
async function injected(page: Page) {
  return page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
    scripts: [...document.querySelectorAll('script')].filter((s) =>
      s.textContent?.includes('__pwned'),
    ).length,
    handlers: [...document.querySelectorAll('*')].filter((e) =>
      [...e.attributes].some((a) => a.name.startsWith('on')),
    ).length,
    images: document.querySelectorAll('img[src="x"], iframe[srcdoc], math mglyph').length,
    links: document.querySelectorAll('a[href^="javascript:"]').length,
    styles: [...document.querySelectorAll('style')].filter((e) =>
      e.textContent?.includes('display:none'),
    ).length,
  }));
}

const CLEAN = { pwned: null, scripts: 0, handlers: 0, images: 0, links: 0, styles: 0 };

test('hostile class names run nothing in the page, an exported SVG or the report', async ({
  page,
}, info) => {
  test.setTimeout(420_000);
  const errors = watchErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // Eight MNIST test images of each digit, in class folders named by the payloads.
  const dir = info.outputPath('hostile');
  const x = gunzipSync(readFileSync('public/datasets/mnist/test-x.u8.gz'));
  const y = readFileSync('public/datasets/mnist/test-y.u8');
  const taken = new Array(10).fill(0);
  for (let i = 0; i < y.length && taken.some((t) => t < 8); i++) {
    if (taken[y[i]] >= 8) continue;
    const folder = join(dir, PAYLOADS[y[i]]);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, `${i}.png`),
      encodePng(x.subarray(i * 784, (i + 1) * 784), 28, 28, 1),
    );
    taken[y[i]]++;
  }

  await openExplorer(page);
  await page.getByLabel('Open a folder').setInputFiles(dir);
  const preview = page.getByRole('region', { name: 'Preview: hostile' });
  await expect(preview).toBeVisible({ timeout: 60_000 });
  // The names are on show, as text.
  for (const name of PAYLOADS) await expect(preview.getByText(name, { exact: true })).toBeVisible();
  expect(await injected(page)).toEqual(CLEAN);
  await preview.getByRole('button', { name: 'Use this dataset' }).click();
  const cosine = figure(page, /^Cosine similarity · mnist-aligned · user-hostile test/);
  await expect
    .poll(async () => (await heatmapFills(cosine)).length, { timeout: 120_000 })
    .toBeGreaterThan(1);
  // The A/B pickers offer the models that read the user's dataset, as the Model picker does.
  await expect(page.getByLabel('Checkpoint A', { exact: true })).toHaveValue('mnist-standard');
  await expect(page.getByLabel('Checkpoint B', { exact: true })).toHaveValue('mnist-aligned');
  // The class-means plot names each class in its legend and its dots' tooltips; its SVG
  // export carries the names as text only, its CSV the whole names.
  const means = page.locator('figure', {
    has: page.locator('figcaption', { hasText: /class means per layer/ }),
  });
  await expect(means.first()).toBeVisible({ timeout: 120_000 });
  await screenshot(page, 'hostile-names');
  expect(await injected(page)).toEqual(CLEAN);
  const svg = (await exportAs(page, means.first(), 'SVG')).body.toString('utf8');
  const svgPage = await page.context().newPage();
  await svgPage.setContent(`<!doctype html><body>${svg}</body>`);
  const svgText = await svgPage.locator('body').textContent();
  for (const name of PAYLOADS) expect(svgText).toContain(name.slice(0, 3));
  expect(await injected(svgPage)).toEqual(CLEAN);
  await svgPage.close();
  const csv = (await exportAs(page, means.first(), 'CSV')).body.toString('utf8');
  for (const name of PAYLOADS) expect(csv).toContain(name.replaceAll('"', '""'));

  // The report: every class name as text, nothing made from one.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export report' }).click(),
  ]);
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = `${process.cwd()}/${ARTIFACTS}/report-hostile.html`;
  copyFileSync(await download.path(), file);
  const report = await page.context().newPage();
  const reportErrors = watchErrors(report);
  report.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await report.goto(`file://${file}`);
  await report.waitForLoadState('load');
  const text = await report.locator('body').textContent();
  for (const name of PAYLOADS) expect(text).toContain(name);
  expect(await injected(report)).toEqual(CLEAN);
  await report.screenshot({ path: `${ARTIFACTS}/report-hostile.png`, fullPage: true });

  expect(dialogs).toEqual([]);
  expect(reportErrors).toEqual([]);
  expect(errors).toEqual([]);
});
