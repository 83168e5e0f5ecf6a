// Helpers for e2e/exports.spec.ts: drive a chart's export menu and read the files it saves.
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ARTIFACTS, figure } from './explorerPage';
import { watchErrors } from './pageErrors';

interface ChartRecord {
  kind: string;
  caption: string;
  data: unknown;
}
export interface HeatmapData {
  rowLabels: string[];
  colLabels: string[];
  values: (number | null)[][];
}
export interface LineData {
  xLabels: string[];
  series: { name: string; values: (number | null)[] }[];
}

/** The chart's host: its figure and, under it, its export menu. */
export function chartHost(page: Page, caption: RegExp): Locator {
  return page.locator('.chart-host', { has: figure(page, caption) });
}

/** The data a chart drew, as the page lists it (window.strataCharts). */
export async function chartData<D>(page: Page, caption: RegExp): Promise<D> {
  const charts = await page.evaluate(() => window.strataCharts?.() ?? []);
  const hit = (charts as ChartRecord[]).find((c) => caption.test(c.caption));
  if (!hit) throw new Error(`no chart captioned ${caption} in ${charts.map((c) => c.caption)}`);
  return hit.data as D;
}

/** Clicks a format in the chart's export menu (opening it first) and returns the download. */
export async function exportAs(
  page: Page,
  host: Locator,
  format: 'SVG' | 'PNG' | 'CSV' | 'JSON',
): Promise<{ name: string; body: Buffer }> {
  const menu = host.locator('details.export-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await menu.locator('summary').click();
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    menu.getByRole('button', { name: format, exact: true }).click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), body: readFileSync(path) };
}

/** Data rows of an exported CSV: the `# ` caption lines dropped, the header kept first. */
export function csvRows(csv: string): { comments: string[]; rows: string[] } {
  const lines = csv.split('\n');
  return {
    comments: lines.filter((l) => l.startsWith('# ')),
    rows: lines.filter((l) => !l.startsWith('# ')),
  };
}

/** A PNG's pixel size from its IHDR chunk (the first chunk, right after the 8-byte signature). */
export function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Parses an SVG document in the page (the browser's XML parser) and reads what the test checks. */
export async function readSvg(page: Page, svg: string) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      wellFormed: doc.getElementsByTagName('parsererror').length === 0 && root.localName === 'svg',
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      cells: Array.from(doc.querySelectorAll('.strata-cells rect'), (r) => ({
        row: Number(r.getAttribute('data-row')),
        col: Number(r.getAttribute('data-col')),
        value: r.getAttribute('data-value'),
        fill: r.getAttribute('fill'),
      })),
      paths: doc.querySelectorAll('path').length,
      caption: Array.from(
        doc.querySelectorAll('.strata-export-caption text'),
        (t) => t.textContent,
      ).join(' '),
      external: Array.from(doc.querySelectorAll('*')).some((el) =>
        Array.from(el.attributes).some(
          (a) =>
            /^on/i.test(a.name) ||
            (!a.name.startsWith('xmlns') && /(https?:|javascript:)/i.test(a.value)),
        ),
      ),
      scripts: doc.querySelectorAll('script, foreignObject').length,
    };
  }, svg);
}

/**
 * Opens `file` (an exported file) in a new page from file:// and checks that it loads nothing
 * else and logs no error; screenshots it as `shot`. Returns the page, still open.
 */
export async function expectStandalone(page: Page, file: string, shot: string): Promise<Page> {
  const other = await page.context().newPage();
  const errors = watchErrors(other);
  const requests: string[] = [];
  other.on('request', (r) => {
    if (r.url() !== `file://${file}`) requests.push(r.url());
  });
  await other.goto(`file://${file}`);
  await other.waitForLoadState('load');
  await other.screenshot({ path: `${ARTIFACTS}/${shot}.png` });
  expect(requests).toEqual([]);
  expect(errors).toEqual([]);
  return other;
}
