// One chart to one file: SVG and PNG with the caption drawn under the chart, CSV with the caption
// as `# ` comment lines, JSON as { caption, data }.
import { appendSvgCaption, svgSize, svgStringToPng } from '../../charts/export';
import { chartDataToJson, withCsvComments } from '../../charts/exportData';
import { captionObject, provenanceLine, type ExportContext } from './exportContext';
import type { ExportSource } from './exportSource';
import { exportFileName } from './fileName';

export type ExportFormat = 'svg' | 'png' | 'csv' | 'json';

/** A PNG's size: a multiple of the SVG's CSS size, or a width in pixels (height in proportion). */
export type PngSize = { scale: number } | { width: number };

export const DEFAULT_PNG_SIZE: PngSize = { scale: 2 };

/** Widths a PNG may be asked for, in pixels. */
export const PNG_WIDTH_RANGE = { min: 16, max: 16_384 } as const;

export interface ExportFile {
  name: string;
  blob: Blob;
}

const MIME: Record<ExportFormat, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
};

/** The scale that turns an SVG `svgWidth` CSS pixels wide into a PNG of `size`. */
export function pngScale(size: PngSize, svgWidth: number): number {
  if ('scale' in size) {
    if (!(size.scale > 0 && size.scale <= 16))
      throw new Error(`PNG export: expected a scale between 0 and 16, got ${size.scale}`);
    return size.scale;
  }
  const { min, max } = PNG_WIDTH_RANGE;
  if (!(Number.isInteger(size.width) && size.width >= min && size.width <= max))
    throw new Error(`PNG export: expected a width of ${min} to ${max} px, got ${size.width}`);
  if (!(svgWidth > 0)) throw new Error(`PNG export: the chart has no width (${svgWidth})`);
  return size.width / svgWidth;
}

/** The part of a caption before the first " · ": what the chart shows, for the file name. */
export function chartTitle(caption: string): string {
  return caption.split(' · ')[0] ?? caption;
}

/** The chart's SVG document with the provenance line added to its caption. */
export function exportSvg(source: ExportSource, ctx: ExportContext): string {
  return appendSvgCaption(source.toSvg(), [provenanceLine(ctx)]);
}

/** The text of a text export (SVG, CSV or JSON) of `source`. */
export function exportText(
  source: ExportSource,
  format: Exclude<ExportFormat, 'png'>,
  ctx: ExportContext,
): string {
  switch (format) {
    case 'svg':
      return exportSvg(source, ctx);
    case 'csv':
      return withCsvComments([ctx.caption, provenanceLine(ctx)], source.csv());
    case 'json':
      return chartDataToJson({
        caption: captionObject(ctx),
        kind: source.kind,
        data: source.data(),
      });
  }
}

/**
 * Why `source` cannot be exported now, or null. A figure out of date is refused rather than
 * labelled: an exported file outlives the page that explains it (a label is cropped from a PNG,
 * skipped in a CSV, and the file's settings would be the new selection's), while the wait is only
 * until the current result arrives.
 */
export function exportRefusal(source: ExportSource): string | null {
  const note = source.stale?.() ?? null;
  return note ? `not exported while the chart is ${note}; export it once it has updated` : null;
}

/** The file for `source` in `format`, named strata-<chart>-<model or file>-<date>.<ext>. */
export async function makeExport(
  source: ExportSource,
  format: ExportFormat,
  ctx: ExportContext,
  png: PngSize = DEFAULT_PNG_SIZE,
): Promise<ExportFile> {
  const refusal = exportRefusal(source);
  if (refusal) throw new Error(refusal);
  const name = exportFileName({
    chart: chartTitle(ctx.caption),
    model: ctx.subject,
    date: ctx.date,
    ext: format,
  });
  if (format === 'png') {
    const svg = exportSvg(source, ctx);
    return { name, blob: await svgStringToPng(svg, pngScale(png, svgSize(svg).width)) };
  }
  return { name, blob: new Blob([exportText(source, format, ctx)], { type: MIME[format] }) };
}
