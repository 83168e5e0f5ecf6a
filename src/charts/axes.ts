import type { Selection } from 'd3';
import { ink } from './colors';
import { estimateTextWidth, thinnedTicks, truncateLabel } from './text';

/** Gives a d3 axis group the chart's font (inherited) and ink colours. */
export function styleAxis(g: Selection<SVGGElement, unknown, null, undefined>): void {
  g.attr('font-size', null).attr('font-family', null);
  g.select('.domain').attr('stroke', ink.axis);
  g.selectAll('.tick line').attr('stroke', ink.axis);
  g.selectAll('.tick text').attr('fill', ink.muted);
}

/** Horizontal grid lines at `ticks` (pixel y positions) across `width`. */
export function drawGridLines(
  g: Selection<SVGGElement, unknown, null, undefined>,
  ys: number[],
  width: number,
): void {
  g.selectAll('line')
    .data(ys)
    .join('line')
    .attr('x1', 0)
    .attr('x2', width)
    .attr('y1', (y) => y)
    .attr('y2', (y) => y)
    .attr('stroke', ink.grid);
}

/** An axis title; `vertical` rotates it to read bottom-up beside a y axis. */
export function drawAxisTitle(
  g: Selection<SVGGElement, unknown, null, undefined>,
  text: string | undefined,
  x: number,
  y: number,
  vertical: boolean,
): void {
  g.selectAll('text')
    .data(text ? [text] : [])
    .join('text')
    .attr('transform', `translate(${x},${y})${vertical ? ' rotate(-90)' : ''}`)
    .attr('text-anchor', 'middle')
    .attr('fill', ink.muted)
    .text((t) => t);
}

/** One category per layer along a bottom axis: labels shortened, thinned to fit, turned when crowded. */
export interface CategoryTicks {
  /** The labels as shown (truncated). */
  labels: string[];
  /** Indices of the labels that get a tick. */
  ticks: number[];
  /** Whether the labels are turned 45° because they would overlap. */
  rotate: boolean;
  /** Room under the plot area for the labels and, with `hasTitle`, an axis title. */
  bottom: number;
}

export function categoryTicks(labels: string[], plotW: number, hasTitle: boolean): CategoryTicks {
  const short = labels.map((l) => truncateLabel(l, 14));
  const labelW = Math.max(0, ...short.map((l) => estimateTextWidth(l)));
  const ticks = thinnedTicks(labels.length, plotW, Math.min(labelW + 6, 60));
  const rotate = labelW + 6 > plotW / Math.max(ticks.length, 1);
  const bottom = (rotate ? labelW * 0.72 + 14 : 22) + (hasTitle ? 18 : 4);
  return { labels: short, ticks, rotate, bottom };
}

/** Turns a bottom axis' tick labels 45° (reading up to their tick), or sets them straight. */
export function turnTickLabels(
  g: Selection<SVGGElement, unknown, null, undefined>,
  rotate: boolean,
) {
  g.selectAll('.tick text')
    .attr('text-anchor', rotate ? 'end' : 'middle')
    .attr('transform', rotate ? 'translate(-4,2) rotate(-45)' : null);
}
