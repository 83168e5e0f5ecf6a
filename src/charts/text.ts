import { format } from 'd3';

/** Font every chart draws with (set on the SVG root, so exports carry it). */
export const chartFont = {
  family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  size: 11,
} as const;

/**
 * Estimated width of `text` in pixels. Layout cannot measure text (jsdom has no layout, and
 * measuring forces reflow), so it uses the average advance of a sans-serif font, 0.6 em.
 */
export function estimateTextWidth(text: string, fontSize: number = chartFont.size): number {
  return text.length * fontSize * 0.6;
}

/** `text` cut to at most `maxChars` characters, with an ellipsis when cut. */
export function truncateLabel(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(1, maxChars - 1))}…`;
}

/** Exact value for tooltips: 4 decimals. */
export const formatExact = format('.4f');
/** Short value for summaries and cells: up to 4 decimals, trailing zeros dropped. */
export const formatShort = format('.4~f');
const formatSi = format('~s');
const formatGeneral = format('~g');
/** Axis ticks: SI prefixes from 1,000 up ("2.5k"), plain numbers below (never "500m"). */
export function formatCompact(v: number): string {
  return Math.abs(v) >= 1000 ? formatSi(v) : formatGeneral(v);
}

/** A speed-up factor: up to 2 decimals. */
export const formatSpeedup = format('.2~f');
/** A fraction as a percentage with one decimal. */
export const formatPercent = format('.1%');

/** Splits `text` into lines of at most `maxChars` characters, breaking at spaces where it can. */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    let rest = word;
    while (rest.length > maxChars) {
      if (line) lines.push(line);
      line = '';
      lines.push(rest.slice(0, maxChars));
      rest = rest.slice(maxChars);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= maxChars) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Indices of the ticks to label among `n` categories spread over `span` px, so that labels are at
 * least `minGap` px apart: every k-th one, plus the last when it fits.
 */
export function thinnedTicks(n: number, span: number, minGap: number): number[] {
  const px = span / Math.max(n, 1);
  const step = Math.max(1, Math.ceil(minGap / Math.max(px, 1e-9)));
  const ticks: number[] = [];
  for (let i = 0; i < n; i += step) ticks.push(i);
  const last = ticks[ticks.length - 1];
  if (n > 0 && last !== n - 1 && (n - 1 - last) * px >= minGap) ticks.push(n - 1);
  return ticks;
}
