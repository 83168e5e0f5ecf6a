import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ARTIFACTS, figure, openExplorer, screenshot } from './explorerPage';
import {
  chartData,
  chartHost,
  csvRows,
  expectStandalone,
  exportAs,
  pngSize,
  readSvg,
  type HeatmapData,
  type LineData,
} from './exportFiles';
import { watchErrors } from './pageErrors';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

const DATE = /\d{4}-\d{2}-\d{2}/.source;
const COSINE = /^Cosine similarity · mnist-aligned · mnist test/;
const ACCURACY = /^Accuracy of the shared classifier at each layer/;

test.describe('chart exports on wasm', () => {
  // Exports only read the page: one page load (and its first analyses) serves every check.
  test.describe.configure({ mode: 'serial' });
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext();
    page = await context.newPage();
    errors = watchErrors(page);
    await openExplorer(page);
  });
  test.afterAll(async () => {
    await context.close();
  });

  test('a heatmap exports as SVG, PNG (2×), CSV and JSON that match its data', async () => {
    const host = chartHost(page, COSINE);
    const data = await chartData<HeatmapData>(page, COSINE);
    const n = data.rowLabels.length;
    expect(n).toBeGreaterThan(2);

    // Opened from the keyboard, as a keyboard user would.
    const summary = host.locator('details.export-menu summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(host.getByRole('group', { name: /^Export Cosine similarity/ })).toBeVisible();
    await screenshot(page, 'export-menu', host);

    const svg = await exportAs(page, host, 'SVG');
    expect(svg.name).toMatch(new RegExp(`^strata-cosine-similarity-mnist-aligned-${DATE}\\.svg$`));
    const parsed = await readSvg(page, svg.body.toString('utf8'));
    expect(parsed.wellFormed).toBe(true);
    expect(parsed.scripts).toBe(0);
    expect(parsed.external).toBe(false);
    expect(parsed.cells).toHaveLength(n * n);
    for (const cell of parsed.cells) {
      const v = data.values[cell.row][cell.col];
      expect(cell.value).toBe(v === null ? '' : String(v));
    }
    // The same picture as on the page.
    const liveFills = await host
      .locator('.strata-cells rect')
      .evaluateAll((rects) => rects.map((r) => r.getAttribute('fill')));
    expect(parsed.cells.map((c) => c.fill)).toEqual(liveFills);
    expect(parsed.caption).toMatch(COSINE.source.slice(1));
    expect(parsed.caption).toContain(`Strata ${VERSION} · backend wasm`);
    expect(parsed.caption).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);

    // The SVG opens alone, from a file, and asks for nothing.
    const svgFile = `${process.cwd()}/${ARTIFACTS}/export-heatmap.svg`;
    writeFileSync(svgFile, svg.body);
    await expectStandalone(page, svgFile, 'export-heatmap-svg');

    const png = await exportAs(page, host, 'PNG');
    expect(png.name).toMatch(/\.png$/);
    writeFileSync(`${ARTIFACTS}/export-heatmap.png`, png.body);
    // It decodes in the browser too, at the size its header says.
    const decoded = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      return { width: bitmap.width, height: bitmap.height };
    }, png.body.toString('base64'));
    expect(decoded).toEqual(pngSize(png.body));
    expect(pngSize(png.body)).toEqual({ width: parsed.width * 2, height: parsed.height * 2 });

    // A width in pixels instead of a multiple.
    await host.getByLabel('PNG size').selectOption('width');
    await host.getByLabel('PNG width (px)').fill('900');
    await screenshot(page, 'export-menu-width', host);
    const wide = await exportAs(page, host, 'PNG');
    expect(pngSize(wide.body).width).toBe(900);

    const csv = await exportAs(page, host, 'CSV');
    expect(csv.name).toMatch(/\.csv$/);
    const { comments, rows } = csvRows(csv.body.toString('utf8'));
    expect(comments[0]).toMatch(new RegExp(COSINE.source.replace('^', '^# ')));
    expect(comments[1]).toContain(`Strata ${VERSION} · backend wasm`);
    const expected = data.rowLabels.flatMap((r, i) =>
      data.colLabels.map((c, j) => `${r},${c},${data.values[i][j] ?? ''}`),
    );
    expect(rows).toEqual(['row,column,value', ...expected]);

    const json = JSON.parse((await exportAs(page, host, 'JSON')).body.toString('utf8'));
    expect(json.data).toEqual(data);
    expect(json.kind).toBe('heatmap');
    expect(json.caption.text).toMatch(COSINE);
    expect(json.caption.strataVersion).toBe(VERSION);
    expect(json.caption.backend.name).toBe('wasm');
    expect(json.caption.settings).toMatchObject({ modelId: 'mnist-aligned', dataset: 'mnist' });

    // Escape closes the menu and gives focus back to its summary.
    await host.getByRole('button', { name: 'JSON', exact: true }).focus();
    await page.keyboard.press('Escape');
    await expect(host.locator('details.export-menu')).not.toHaveAttribute('open', '');
    await expect(summary).toBeFocused();
    expect(errors).toEqual([]);
  });

  test('a per-layer line chart exports its points', async () => {
    // Once A and B are analysed the chart has its final series (and size).
    await expect(
      figure(page, /^Difference A − B of/)
        .locator('.strata-cells rect')
        .first(),
    ).toBeVisible({ timeout: 120_000 });
    await expect
      .poll(async () => (await chartData<LineData>(page, ACCURACY)).series.map((s) => s.name), {
        timeout: 120_000,
      })
      .toEqual(
        expect.arrayContaining([expect.stringMatching(/^A: /), expect.stringMatching(/^B: /)]),
      );
    const host = chartHost(page, ACCURACY);
    const data = await chartData<LineData>(page, ACCURACY);

    const svg = await exportAs(page, host, 'SVG');
    expect(svg.name).toMatch(
      new RegExp(
        `^strata-accuracy-of-the-shared-classifier-at-each-layer-mnist-aligned-${DATE}\\.svg$`,
      ),
    );
    const parsed = await readSvg(page, svg.body.toString('utf8'));
    expect(parsed.wellFormed).toBe(true);
    expect(parsed.paths).toBeGreaterThanOrEqual(data.series.length);
    expect(parsed.caption).toContain(`Strata ${VERSION}`);

    const png = await exportAs(page, host, 'PNG');
    expect(pngSize(png.body)).toEqual({ width: parsed.width * 2, height: parsed.height * 2 });
    writeFileSync(`${ARTIFACTS}/export-line-chart.png`, png.body);

    const { rows } = csvRows((await exportAs(page, host, 'CSV')).body.toString('utf8'));
    const expected = data.series.flatMap((s) =>
      data.xLabels.map(
        (x, i) => `${s.name.includes(',') ? `"${s.name}"` : s.name},${x},${s.values[i] ?? ''}`,
      ),
    );
    expect(rows).toEqual(['series,layer,value', ...expected]);

    const json = JSON.parse((await exportAs(page, host, 'JSON')).body.toString('utf8'));
    expect(json.data).toEqual(data);
    expect(errors).toEqual([]);
  });

  test('the report holds every chart and opens offline with no request and no error', async () => {
    // Wait for the views that come later: A/B, accuracy, early exit.
    for (const caption of [
      /^Difference A − B of/,
      ACCURACY,
      /^Accuracy against mean exit layer/,
      /^Exit layers at threshold/,
    ])
      await expect(figure(page, caption)).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('exit-readout')).toBeVisible({ timeout: 120_000 });

    const button = page.getByRole('button', { name: 'Export report' });
    await expect(button).toBeEnabled();
    await screenshot(page, 'report-button', page.locator('header.topbar'));
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^strata-report-mnist-aligned-${DATE}\\.html$`),
    );
    const status = await page.locator('.report-export [role="status"]').textContent();
    const charts = Number(/\((\d+) charts\)/.exec(status ?? '')?.[1]);
    expect(charts).toBeGreaterThanOrEqual(10);

    mkdirSync(ARTIFACTS, { recursive: true });
    const file = `${process.cwd()}/${ARTIFACTS}/report.html`;
    copyFileSync(await download.path(), file);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).not.toMatch(/<script/i);

    const report = await context.newPage();
    const reportErrors = watchErrors(report);
    const requests: string[] = [];
    report.on('request', (r) => {
      if (r.url() !== `file://${file}`) requests.push(r.url());
    });
    await report.goto(`file://${file}`);
    await report.waitForLoadState('load');
    expect(await report.locator('svg').count()).toBe(charts);
    expect(await report.locator('figure').count()).toBe(charts);
    await expect(report.getByRole('heading', { name: 'Per-layer accuracy' })).toBeVisible();
    await expect(report.getByRole('heading', { name: 'Early exit' })).toBeVisible();
    await expect(report.getByRole('heading', { name: 'Configuration' })).toBeVisible();
    await expect(report.locator('header .meta')).toContainText(`Strata ${VERSION}`);
    await expect(report.locator('header .meta')).toContainText('backend wasm');
    await report.screenshot({ path: `${ARTIFACTS}/report.png`, fullPage: true });
    await report
      .locator('figure', { hasText: 'class means per layer' })
      .first()
      .screenshot({ path: `${ARTIFACTS}/report-class-means.png` });
    await report.setViewportSize({ width: 1280, height: 900 });
    await report.screenshot({ path: `${ARTIFACTS}/report-top.png` });
    expect(requests).toEqual([]);
    expect(reportErrors).toEqual([]);
    expect(errors).toEqual([]);
  });
});
