import { select } from 'd3';
import { chartMethods, initialState, type BaseChartOptions, type Chart } from './chart';
import { COLOR_LEGEND_WIDTH, drawColorLegend } from './colorLegend';
import { heatmapColor, heatmapSchemes, ink, type HeatmapScale } from './colors';
import { appendOverlay, createFrame, uniqueId } from './figure';
import {
  appendCellRects,
  appendHatchPattern,
  drawCellCanvas,
  isDefinedValue,
} from './heatmapCells';
import { validateHeatmapData } from './heatmapData';
import type { HeatmapData } from './heatmapData';
export type { HeatmapData } from './heatmapData';
import {
  estimateTextWidth,
  formatExact,
  formatShort,
  thinnedTicks,
  truncateLabel,
  wrapText,
} from './text';

export interface HeatmapOptions extends BaseChartOptions {
  /** Colour scale with its fixed domain: cosine [-1, 1], CKA [0, 1], difference [-d, d]. */
  scale: HeatmapScale;
  /** d of the difference scale's domain [-d, d]; required when `scale` is 'difference'. */
  differenceExtent?: number;
  /** Name of the value, e.g. "Cosine similarity" (default from the scale). */
  valueLabel?: string;
  /** What rows and columns are, for the accessible summary (default "layers"). */
  unit?: string;
  /** Write values in cells (default: on up to 13 × 13); drawn only in cells of 16 px or more. */
  showValues?: boolean;
  /** Grids with more cells than this draw on a canvas (default 1600, i.e. 40 × 40). */
  canvasThreshold?: number;
  /** Outline the cells (i, i) when rows and columns are as many: matching depths of two models. */
  markDiagonal?: boolean;
}

const DEFAULT_LABELS: Record<HeatmapScale, string> = {
  diverging: 'Cosine similarity',
  sequential: 'CKA',
  difference: 'Difference',
};
const MAX_LABEL_CHARS = 18;
const EMPTY: HeatmapData = { rowLabels: [], colLabels: [], values: [] };

/**
 * A layer × layer heatmap: SVG rects (or a canvas for dense grids, tensorflow/playground style)
 * under SVG axes, a colour legend on a fixed domain, hover and keyboard readouts.
 */
export function createHeatmap(container: HTMLElement, options: HeatmapOptions): Chart<HeatmapData> {
  if (!(options.scale in heatmapSchemes)) {
    throw new Error(
      `createHeatmap: options.scale is ${JSON.stringify(options.scale)}, expected one of ${Object.keys(heatmapSchemes).join(', ')}`,
    );
  }
  const extent = options.scale === 'difference' ? (options.differenceExtent ?? Number.NaN) : 1;
  if (!(Number.isFinite(extent) && extent > 0)) {
    throw new Error(
      `createHeatmap: options.differenceExtent is ${String(options.differenceExtent)}, expected a positive number for the difference scale`,
    );
  }
  const color = heatmapColor(options.scale, extent);
  const valueLabel = options.valueLabel ?? DEFAULT_LABELS[options.scale];
  const unit = options.unit ?? 'layers';
  const canvasThreshold = options.canvasThreshold ?? 1600;
  const frame = createFrame(container, 'heatmap', options.caption, true);
  const svg = frame.svg;
  const hatchId = uniqueId('hatch');
  const gradientId = uniqueId('gradient');
  appendHatchPattern(svg.append('defs').node() as SVGDefsElement, hatchId);
  const root = svg.append('g');
  const cellsG = root.append('g').attr('class', 'strata-cells');
  const diagonalG = root
    .append('g')
    .attr('class', 'strata-diagonal')
    .attr('fill', 'none')
    .attr('stroke', ink.muted)
    .attr('stroke-width', 1.5)
    .attr('stroke-dasharray', '3 2')
    .attr('pointer-events', 'none');
  const rowAxis = svg.append('g').attr('class', 'strata-row-labels').attr('fill', ink.muted);
  const colAxis = svg.append('g').attr('class', 'strata-col-labels').attr('fill', ink.muted);
  const legend = svg.append('g').attr('class', 'strata-color-legend');
  const focusRect = root
    .append('rect')
    .attr('class', 'strata-focus')
    .attr('data-export', 'skip')
    .attr('fill', 'none')
    .attr('stroke', ink.focus)
    .attr('stroke-width', 2)
    .attr('pointer-events', 'none')
    .style('display', 'none');
  const overlay = appendOverlay(root);
  let canvas: HTMLCanvasElement | null = null;

  const state = initialState(EMPTY, options, 480);
  let layout = { left: 0, top: 8, cell: 0, usesCanvas: false };
  let cursor: [number, number] = [0, 0];

  function render(): void {
    const { rowLabels, colLabels, values } = state.data;
    const { width, height: fixedHeight } = state;
    const rows = rowLabels.length;
    const cols = colLabels.length;
    const shortRows = rowLabels.map((l) => truncateLabel(l, MAX_LABEL_CHARS));
    const shortCols = colLabels.map((l) => truncateLabel(l, MAX_LABEL_CHARS));
    const left = 14 + Math.max(20, ...shortRows.map((l) => estimateTextWidth(l)));
    const top = 8;
    const colLabelWidth = Math.max(0, ...shortCols.map((l) => estimateTextWidth(l)));
    let cell = Math.max(1, (width - left - COLOR_LEGEND_WIDTH) / Math.max(cols, 1));
    const rotate = colLabelWidth > cell - 4;
    const bottom = (rotate ? colLabelWidth * 0.72 + 10 : 14) + 10;
    if (fixedHeight !== undefined) {
      cell = Math.max(1, Math.min(cell, (fixedHeight - top - bottom) / Math.max(rows, 1)));
    }
    const gridW = cell * cols;
    const gridH = cell * rows;
    const height = fixedHeight ?? Math.ceil(top + gridH + bottom + (rows === 0 ? 40 : 0));
    frame.setSize(width, height);
    root.attr('transform', `translate(${left},${top})`);
    overlay.setAttribute('width', String(gridW));
    overlay.setAttribute('height', String(gridH));

    const showValues = options.showValues ?? (rows <= 13 && cols <= 13);
    const dense = rows * cols > canvasThreshold;
    let usesCanvas = false;
    if (dense) {
      canvas ??= frame.body.ownerDocument.createElement('canvas');
      Object.assign(canvas.style, { position: 'absolute', left: `${left}px`, top: `${top}px` });
      canvas.setAttribute('aria-hidden', 'true');
      usesCanvas = drawCellCanvas(canvas, values, cell, color);
      if (usesCanvas && !canvas.isConnected) frame.body.insertBefore(canvas, frame.body.firstChild);
    }
    if (!usesCanvas) canvas?.remove();
    const cellsNode = cellsG.node() as SVGGElement;
    if (usesCanvas) cellsNode.replaceChildren();
    else appendCellRects(cellsNode, values, cell, color, hatchId, showValues && cell >= 16);
    layout = { left, top, cell, usesCanvas };
    const diagonal = options.markDiagonal && rows === cols ? rowLabels.map((_, i) => i) : [];
    diagonalG
      .selectAll('rect')
      .data(diagonal)
      .join('rect')
      .attr('x', (i) => i * cell)
      .attr('y', (i) => i * cell)
      .attr('width', cell)
      .attr('height', cell);

    const rowTicks = thinnedTicks(rows, gridH, 12);
    rowAxis
      .attr('transform', `translate(${left - 6},${top})`)
      .selectAll('text')
      .data(rowTicks)
      .join('text')
      .attr('x', 0)
      .attr('y', (r) => (r + 0.5) * cell)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .each(function (r) {
        setLabel(this as SVGTextElement, shortRows[r], rowLabels[r]);
      });
    const colTicks = thinnedTicks(cols, gridW, rotate ? 16 : colLabelWidth + 6);
    colAxis
      .attr('transform', `translate(${left},${top + gridH + 6})`)
      .selectAll('text')
      .data(colTicks)
      .join('text')
      .attr('text-anchor', rotate ? 'end' : 'middle')
      .attr('transform', (c) =>
        rotate
          ? `translate(${(c + 0.5) * cell},4) rotate(-45)`
          : `translate(${(c + 0.5) * cell},0)`,
      )
      .attr('dy', rotate ? '0.35em' : '0.8em')
      .each(function (c) {
        setLabel(this as SVGTextElement, shortCols[c], colLabels[c]);
      });
    legend.attr('transform', `translate(${left + gridW + 16},${top})`);
    drawColorLegend(legend, {
      scale: options.scale,
      differenceExtent: extent,
      height: Math.max(gridH - 24, 80),
      title: valueLabel,
      gradientId,
      hatchId,
      showUndefined: values.some((row) => row.some((v) => !isDefinedValue(v))),
    });
    frame.describe(summarizeHeatmap(state.data, valueLabel, unit));
    if (focusRect.style('display') !== 'none') showCell(cursor[0], cursor[1], false);
  }

  function showCell(r: number, c: number, announce: boolean): void {
    const { rowLabels, colLabels, values } = state.data;
    if (rowLabels.length === 0 || colLabels.length === 0) return;
    r = Math.min(Math.max(r, 0), rowLabels.length - 1);
    c = Math.min(Math.max(c, 0), colLabels.length - 1);
    cursor = [r, c];
    const { cell, left, top } = layout;
    focusRect
      .style('display', null)
      .attr('x', c * cell)
      .attr('y', r * cell)
      .attr('width', cell)
      .attr('height', cell)
      .attr('data-row', r)
      .attr('data-col', c);
    const v = values[r][c];
    // An undefined cell says why, when the data says (wrapped: the tooltip does not wrap).
    const why = isDefinedValue(v) ? null : (state.data.rowNotes?.[r] ?? state.data.colNotes?.[c]);
    const lines = [
      `${rowLabels[r]} × ${colLabels[c]}`,
      `${valueLabel}: ${isDefinedValue(v) ? formatExact(v) : 'undefined'}`,
      ...(why ? wrapText(`why: ${why}`, 44) : []),
    ];
    frame.tooltip.show(lines, left + (c + 1) * cell, top + r * cell);
    if (announce) frame.announce(lines.join(', '));
  }

  function hideCell(): void {
    focusRect.style('display', 'none');
    frame.tooltip.hide();
  }

  frame.bindReadout(overlay, {
    hover([x, y]) {
      const { cell, left, top } = layout;
      const c = Math.floor((x - left) / cell);
      const r = Math.floor((y - top) / cell);
      const { rowLabels, colLabels } = state.data;
      if (r >= 0 && c >= 0 && r < rowLabels.length && c < colLabels.length) showCell(r, c, false);
      else hideCell();
    },
    focus: () => showCell(cursor[0], cursor[1], true),
    key(key) {
      const [r, c] = cursor;
      const moves: Record<string, [number, number]> = {
        ArrowUp: [r - 1, c],
        ArrowDown: [r + 1, c],
        ArrowLeft: [r, c - 1],
        ArrowRight: [r, c + 1],
        Home: [r, 0],
        End: [r, state.data.colLabels.length - 1],
        PageUp: [0, c],
        PageDown: [state.data.rowLabels.length - 1, c],
      };
      if (!(key in moves)) return false;
      showCell(moves[key][0], moves[key][1], true);
      return true;
    },
    hide: hideCell,
  });

  render();

  return {
    ...chartMethods(frame, state, (data) => validateHeatmapData(data, 'heatmap.update'), render),
    toSvg() {
      return frame.exportSvg((clone) => {
        if (!layout.usesCanvas) return;
        const g = clone.querySelector('.strata-cells');
        if (g)
          appendCellRects(g as SVGGElement, state.data.values, layout.cell, color, hatchId, false);
      });
    },
  };
}

function setLabel(el: SVGTextElement, shown: string, full: string): void {
  const s = select(el);
  s.text(shown);
  if (shown !== full) s.append('title').text(full);
}

/** "Cosine similarity, 7 by 7 layers, min 0.12 at layer_0 × layer_6, max 1 at layer_0 × layer_0". */
export function summarizeHeatmap(data: HeatmapData, valueLabel: string, unit: string): string {
  const { rowLabels, colLabels, values } = data;
  const head = `${valueLabel}, ${rowLabels.length} by ${colLabels.length} ${unit}`;
  let min: [number, number, number] | null = null;
  let max: [number, number, number] | null = null;
  let undefinedCount = 0;
  values.forEach((row, r) =>
    row.forEach((v, c) => {
      if (!isDefinedValue(v)) undefinedCount += 1;
      else {
        if (!min || v < min[0]) min = [v, r, c];
        if (!max || v > max[0]) max = [v, r, c];
      }
    }),
  );
  const at = (m: [number, number, number]) =>
    `${formatShort(m[0])} at ${rowLabels[m[1]]} × ${colLabels[m[2]]}`;
  const parts = [head];
  if (min && max) parts.push(`min ${at(min)}`, `max ${at(max)}`);
  if (undefinedCount > 0) {
    const why = [...new Set([...(data.rowNotes ?? []), ...(data.colNotes ?? [])])].filter(Boolean);
    parts.push(`${undefinedCount} undefined${why.length > 0 ? ` (${why.join('; ')})` : ''}`);
  }
  return parts.join(', ');
}
