import type { Selection } from 'd3';
import { ink } from './colors';

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
