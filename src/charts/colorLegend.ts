import { axisRight, range, scaleLinear, type Selection } from 'd3';
import { heatmapSchemes, ink, type HeatmapScale } from './colors';
import { truncateLabel } from './text';

/** Horizontal room the colour legend takes, gap to the grid included. */
export const COLOR_LEGEND_WIDTH = 96;

export interface ColorLegendOptions {
  scale: HeatmapScale;
  differenceExtent: number;
  /** Height of the colour bar. */
  height: number;
  title: string;
  gradientId: string;
  hatchId: string;
  showUndefined: boolean;
}

/**
 * Draws a vertical colour bar with ticks over the scheme's fixed domain into `g` (origin at the
 * bar's top-left), its title written vertically to the right, and an "undefined" swatch below.
 */
export function drawColorLegend(
  g: Selection<SVGGElement, unknown, null, undefined>,
  o: ColorLegendOptions,
): void {
  g.selectAll('*').remove();
  const scheme = heatmapSchemes[o.scale];
  const domain = scheme.domain(o.differenceExtent);
  const lo = domain[0];
  const hi = domain[domain.length - 1];
  const gradient = g
    .append('defs')
    .append('linearGradient')
    .attr('id', o.gradientId)
    .attr('x1', 0)
    .attr('y1', 1)
    .attr('x2', 0)
    .attr('y2', 0);
  gradient
    .selectAll('stop')
    .data(range(0, 1.0001, 0.1))
    .join('stop')
    .attr('offset', (t) => `${Math.round(t * 100)}%`)
    .attr('stop-color', (t) => scheme.interpolator(t));
  g.append('rect')
    .attr('class', 'strata-legend-bar')
    .attr('width', 12)
    .attr('height', o.height)
    .attr('fill', `url(#${o.gradientId})`)
    .attr('stroke', ink.axis)
    .attr('stroke-width', 0.5);
  const y = scaleLinear().domain([lo, hi]).range([o.height, 0]);
  const ticks =
    domain.length === 3
      ? [lo, (lo + domain[1]) / 2, domain[1], (domain[1] + hi) / 2, hi]
      : y.ticks(5);
  const axis = g
    .append('g')
    .attr('class', 'strata-legend-axis')
    .attr('transform', 'translate(12,0)')
    .call(
      axisRight(y)
        .tickValues(ticks)
        .tickSize(4)
        .tickFormat((v) => String(+(+v).toFixed(3))),
    );
  axis.attr('font-size', null).attr('font-family', null);
  axis.select('.domain').remove();
  axis.selectAll('line').attr('stroke', ink.axis);
  axis.selectAll('text').attr('fill', ink.muted);
  g.append('text')
    .attr('class', 'strata-legend-title')
    .attr('transform', `translate(50,${o.height / 2}) rotate(90)`)
    .attr('text-anchor', 'middle')
    .attr('fill', ink.muted)
    .text(truncateLabel(o.title, Math.max(6, Math.floor(o.height / 6.6))));
  if (o.showUndefined) {
    const swatch = g.append('g').attr('transform', `translate(0,${o.height + 10})`);
    swatch
      .append('rect')
      .attr('width', 12)
      .attr('height', 12)
      .attr('fill', `url(#${o.hatchId})`)
      .attr('stroke', ink.axis)
      .attr('stroke-width', 0.5);
    swatch.append('text').attr('x', 16).attr('y', 10).attr('fill', ink.muted).text('undefined');
  }
}
