// A chart's data as files: CSV (one row per cell or point, long form) and JSON. Kept apart from
// the SVG/PNG serialisers in export.ts: these are pure functions of plain data, no DOM.
import { csvFormatRows } from 'd3';
import type { HeatmapData } from './heatmap';
import type { HistogramData } from './histogram';
import type { LineChartData } from './lineChart';
import type { StreamingData } from './streamingChart';
import type { TradeoffData } from './tradeoffChart';

type Cell = string | number | null | undefined;

/**
 * RFC 4180 CSV (quoted where needed, by d3-dsv). Text cells that a spreadsheet would run as a
 * formula (starting with = + - @ tab or CR) get a leading apostrophe (OWASP CSV injection).
 * Numbers are written at full precision; null and non-finite numbers as empty cells.
 */
export function toCsv(rows: Cell[][]): string {
  return csvFormatRows(rows.map((row) => row.map(csvCell)));
}

function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * `csv` preceded by `# ` comment lines (what the data shows, where it comes from). Line breaks
 * inside a line are folded to spaces, so a user string cannot end the comment and start a row.
 */
export function withCsvComments(lines: readonly string[], csv: string): string {
  const comments = lines.map((l) => `# ${l.replace(/[\r\n]+/g, ' ')}`);
  return [...comments, csv].join('\n');
}

/** Heatmap, one row per cell: `row,column,value` in row-major order. */
export function heatmapToCsv(data: HeatmapData): string {
  return toCsv([
    ['row', 'column', 'value'],
    ...data.rowLabels.flatMap((r, i) => data.colLabels.map((c, j) => [r, c, data.values[i][j]])),
  ]);
}

/** Per-layer lines, one row per point: `series,layer,value`. */
export function lineChartToCsv(data: LineChartData): string {
  return toCsv([
    ['series', 'layer', 'value'],
    ...data.series.flatMap((s) => data.xLabels.map((x, i) => [s.name, x, s.values[i] ?? null])),
  ]);
}

/** Training curves, one row per point: `series,x,y`. */
export function streamingToCsv(data: StreamingData): string {
  return toCsv([
    ['series', 'x', 'y'],
    ...data.series.flatMap((s) => s.points.map((p) => [s.name, p.x, p.y])),
  ]);
}

/** Early-exit trade-off: `series,threshold,mean_exit_layer,speedup,accuracy` (speed-up = L / mean exit layer). */
export function tradeoffToCsv(data: TradeoffData): string {
  return toCsv([
    ['series', 'threshold', 'mean_exit_layer', 'speedup', 'accuracy'],
    ...data.series.flatMap((s) =>
      s.points.map((p) => [
        s.name,
        p.threshold ?? null,
        p.meanExitLayer,
        data.layers / p.meanExitLayer,
        p.accuracy,
      ]),
    ),
  ]);
}

/** Histogram, one row per bar: `series,bin,count`. */
export function histogramToCsv(data: HistogramData): string {
  return toCsv([
    ['series', 'bin', 'count'],
    ...data.series.flatMap((s) => data.labels.map((l, i) => [s.name, l, s.counts[i] ?? null])),
  ]);
}

/** Any chart's data as pretty-printed JSON (non-finite numbers become null). */
export function chartDataToJson(data: unknown): string {
  return JSON.stringify(
    data,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    2,
  );
}
