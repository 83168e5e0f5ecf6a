import { select, type Selection } from 'd3';
import { ink } from './colors';
import { estimateTextWidth, truncateLabel } from './text';

export interface LegendItem {
  name: string;
  color: string;
  dashed?: boolean;
  /** How the swatch is drawn: a line (with a dot) or a filled square. */
  swatch: 'line' | 'square';
}

const ROW_HEIGHT = 16;

/**
 * Lays `items` out left to right in `g`, wrapping within `width`; returns the height used.
 * Names are drawn as text (escaped by the DOM), truncated to 28 characters with a <title>.
 */
export function drawSeriesLegend(
  g: Selection<SVGGElement, unknown, null, undefined>,
  items: LegendItem[],
  width: number,
): number {
  let x = 0;
  let y = 0;
  const positions = items.map((item) => {
    const w = 26 + estimateTextWidth(truncateLabel(item.name, 28)) + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      y += ROW_HEIGHT;
    }
    const at: [number, number] = [x, y];
    x += w;
    return at;
  });
  const entries = g
    .selectAll<SVGGElement, LegendItem>('g.strata-legend-item')
    .data(items)
    .join('g')
    .attr('class', 'strata-legend-item')
    .attr('transform', (_d, i) => `translate(${positions[i][0]},${positions[i][1]})`);
  entries.selectAll('*').remove();
  entries.each(function (item) {
    const entry = select(this);
    if (item.swatch === 'line') {
      entry
        .append('line')
        .attr('x1', 0)
        .attr('x2', 20)
        .attr('y1', 6)
        .attr('y2', 6)
        .attr('stroke', item.color)
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', item.dashed ? '5,3' : null);
      entry.append('circle').attr('cx', 10).attr('cy', 6).attr('r', 3).attr('fill', item.color);
    } else {
      entry
        .append('rect')
        .attr('x', 6)
        .attr('width', 10)
        .attr('height', 10)
        .attr('y', 1)
        .attr('fill', item.color);
    }
    const shown = truncateLabel(item.name, 28);
    const text = entry
      .append('text')
      .attr('x', 26)
      .attr('y', 10)
      .attr('fill', ink.text)
      .text(shown);
    if (shown !== item.name) text.append('title').text(item.name);
  });
  return items.length === 0 ? 0 : y + ROW_HEIGHT;
}
