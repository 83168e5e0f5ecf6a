import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';
import { drawAxisTitle, drawGridLines, styleAxis } from './axes';
import type { BaseChartOptions, Chart } from './chart';
import { ink, seriesColor } from './colors';
import { createFrame, localPoint } from './figure';
import { isDefinedValue } from './heatmapCells';
import { indexAfterKey } from './keyboard';
import { validateLineData } from './lineData';
import type { LineSeries, LineChartData } from './lineData';
export type { LineSeries, LineChartData } from './lineData';
import { drawSeriesLegend } from './seriesLegend';
import { estimateTextWidth, formatExact, formatPercent, thinnedTicks, truncateLabel } from './text';

export interface LineChartOptions extends BaseChartOptions {
  /** Fixed y domain: 'accuracy' is [0, 1] shown as %, 'loss' is [0, max], or an explicit range. */
  yDomain: 'accuracy' | 'loss' | [number, number];
  yTitle?: string;
  xTitle?: string;
  /** Draw a dot at every value (default true). */
  showPoints?: boolean;
}

const EMPTY: LineChartData = { xLabels: [], series: [] };

/** Per-layer curves for several checkpoints with markers, a legend and a hover/keyboard readout. */
export function createLineChart(
  container: HTMLElement,
  options: LineChartOptions,
): Chart<LineChartData> {
  const percent = options.yDomain === 'accuracy';
  const fmt = (v: number | null) =>
    isDefinedValue(v) ? (percent ? formatPercent(v) : formatExact(v)) : 'undefined';
  const frame = createFrame(container, 'line-chart', options.caption, true);
  const svg = frame.svg;
  const legendG = svg.append('g').attr('class', 'strata-legend');
  const plot = svg.append('g');
  const gridG = plot.append('g').attr('class', 'strata-grid');
  const xAxisG = plot.append('g').attr('class', 'strata-x-axis');
  const yAxisG = plot.append('g').attr('class', 'strata-y-axis');
  const xTitleG = svg.append('g').attr('class', 'strata-x-title');
  const yTitleG = svg.append('g').attr('class', 'strata-y-title');
  const markersG = plot.append('g').attr('class', 'strata-markers');
  const linesG = plot.append('g').attr('class', 'strata-lines');
  const guide = plot
    .append('line')
    .attr('data-export', 'skip')
    .attr('stroke', ink.focus)
    .attr('stroke-dasharray', '2,2')
    .style('display', 'none');
  const overlay = plot
    .append('rect')
    .attr('data-export', 'skip')
    .attr('fill', 'none')
    .attr('pointer-events', 'all');

  let current: LineChartData = EMPTY;
  let width = options.width ?? 520;
  let fixedHeight = options.height;
  let cursor = -1;
  let geom = { left: 0, top: 0, plotW: 0, plotH: 0, step: 1 };

  function render(): void {
    const { xLabels, series } = current;
    const n = xLabels.length;
    const colors = series.map((s, i) => seriesColor(i, s.color));
    const legendH = drawSeriesLegend(
      legendG.attr('transform', 'translate(8,6)'),
      series.map((s, i) => ({ name: s.name, color: colors[i], dashed: s.dashed, swatch: 'line' })),
      width - 16,
    );
    const markerCount = series.filter((s) => s.marker).length;
    const left = 52;
    const top = 10 + legendH + markerCount * 13 + (markerCount > 0 ? 8 : 0);
    const plotW = Math.max(40, width - left - 16);
    const step = plotW / Math.max(n, 1);
    const shortLabels = xLabels.map((l) => truncateLabel(l, 14));
    const labelW = Math.max(0, ...shortLabels.map((l) => estimateTextWidth(l)));
    const ticks = thinnedTicks(n, plotW, Math.min(labelW + 6, 60));
    const rotate = labelW + 6 > plotW / Math.max(ticks.length, 1);
    const bottom = (rotate ? labelW * 0.72 + 14 : 22) + (options.xTitle ? 18 : 4);
    const height = fixedHeight ?? Math.round(width * 0.55) + legendH;
    const plotH = Math.max(40, height - top - bottom);
    frame.setSize(width, height);
    geom = { left, top, plotW, plotH, step };
    plot.attr('transform', `translate(${left},${top})`);
    overlay.attr('width', plotW).attr('height', plotH);

    const x = (i: number) => (i + 0.5) * step;
    const yMax = Math.max(0, ...series.flatMap((s) => s.values.filter(isDefinedValue)));
    const domain: [number, number] =
      options.yDomain === 'accuracy'
        ? [0, 1]
        : options.yDomain === 'loss'
          ? [0, yMax || 1]
          : options.yDomain;
    const y = scaleLinear().domain(domain).range([plotH, 0]);
    if (options.yDomain === 'loss') y.nice();
    drawGridLines(gridG, y.ticks(5).map(y), plotW);
    yAxisG.call(
      axisLeft(y)
        .ticks(5)
        .tickFormat((v) => (percent ? formatPercent(+v).replace('.0%', '%') : String(v))),
    );
    styleAxis(yAxisG);
    const xAxis = axisBottom(
      scaleLinear()
        .domain([-0.5, n - 0.5])
        .range([0, plotW]),
    )
      .tickValues(ticks)
      .tickFormat((i) => shortLabels[+i] ?? '');
    xAxisG.attr('transform', `translate(0,${plotH})`).call(xAxis);
    styleAxis(xAxisG);
    xAxisG
      .selectAll<SVGTextElement, number>('.tick text')
      .attr('text-anchor', rotate ? 'end' : 'middle')
      .attr('transform', rotate ? 'translate(-4,2) rotate(-45)' : null);
    drawAxisTitle(yTitleG, options.yTitle, 14, top + plotH / 2, true);
    drawAxisTitle(xTitleG, options.xTitle, left + plotW / 2, height - 6, false);

    const path = line<number | null>()
      .defined((v) => isDefinedValue(v))
      .x((_v, i) => x(i))
      .y((v) => y(v as number));
    const groups = linesG
      .selectAll<SVGGElement, LineSeries>('g.strata-series')
      .data(series)
      .join('g')
      .attr('class', 'strata-series');
    groups.each(function (s, i) {
      const g = select(this);
      g.selectAll('*').remove();
      g.append('path')
        .attr('d', path(s.values))
        .attr('fill', 'none')
        .attr('stroke', colors[i])
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', s.dashed ? '6,4' : null);
      if (options.showPoints ?? true) {
        g.selectAll('circle')
          .data(s.values.map((v, j) => [v, j] as const).filter(([v]) => isDefinedValue(v)))
          .join('circle')
          .attr('cx', ([, j]) => x(j))
          .attr('cy', ([v]) => y(v as number))
          .attr('r', 3)
          .attr('fill', colors[i])
          .attr('stroke', ink.background);
      }
    });
    const marked = series.map((s, i) => ({ s, i })).filter(({ s }) => s.marker);
    markersG.selectAll('*').remove();
    marked.forEach(({ s, i }, k) => {
      const m = s.marker as { index: number; label: string };
      const mx = x(m.index);
      markersG
        .append('line')
        .attr('x1', mx)
        .attr('x2', mx)
        .attr('y1', -(marked.length - 1 - k) * 13 - 7)
        .attr('y2', plotH)
        .attr('stroke', colors[i])
        .attr('stroke-dasharray', '3,3');
      // Labels sit in the band above the plot (its top margin is sized for them), one row per
      // marker, and run towards the side with room: an estimate of the text's width (6.2 px a
      // character at the chart's 11 px font) keeps them inside the figure.
      const width = m.label.length * 6.2;
      const toLeft = mx + 4 + width > plotW && mx - 4 - width >= -geom.left;
      markersG
        .append('text')
        .attr('x', mx + (toLeft ? -4 : 4))
        .attr('y', -(marked.length - 1 - k) * 13 - 9)
        .attr('text-anchor', toLeft ? 'end' : 'start')
        .attr('fill', colors[i])
        .text(m.label);
    });
    frame.describe(summarize(current, options.yTitle ?? (percent ? 'Accuracy' : 'Value'), fmt));
    if (cursor >= 0) showIndex(cursor, false);
  }

  function showIndex(i: number, announce: boolean): void {
    const n = current.xLabels.length;
    if (n === 0) return;
    cursor = Math.min(Math.max(i, 0), n - 1);
    const cx = (cursor + 0.5) * geom.step;
    guide.style('display', null).attr('x1', cx).attr('x2', cx).attr('y1', 0).attr('y2', geom.plotH);
    const lines = [
      current.xLabels[cursor],
      ...current.series.map((s) => `${s.name}: ${fmt(s.values[cursor])}`),
    ];
    frame.tooltip.show(lines, geom.left + cx, geom.top + 10);
    if (announce) frame.announce(lines.join(', '));
  }
  function hide(): void {
    guide.style('display', 'none');
    frame.tooltip.hide();
  }

  const svgNode = svg.node() as SVGSVGElement;
  frame.listen(overlay.node() as SVGRectElement, 'mousemove', (event) => {
    const [px] = localPoint(event, svgNode);
    showIndex(Math.floor((px - geom.left) / geom.step), false);
  });
  frame.listen(overlay.node() as SVGRectElement, 'mouseleave', hide);
  frame.listen(svgNode, 'focus', () => showIndex(Math.max(cursor, 0), true));
  frame.listen(svgNode, 'blur', hide);
  frame.listen(svgNode, 'keydown', (event) => {
    const next = indexAfterKey(event.key, Math.max(cursor, 0), current.xLabels.length);
    if (event.key === 'Escape') hide();
    if (next === null) return;
    event.preventDefault();
    showIndex(next, true);
  });
  render();

  return {
    update(data) {
      if (frame.destroyed) return;
      validateLineData(data, 'lineChart.update');
      current = data;
      render();
    },
    resize(w, h) {
      if (frame.destroyed) return;
      width = w;
      fixedHeight = h;
      render();
    },
    setCaption: (text) => frame.setCaption(text),
    destroy: () => frame.destroy(),
    toSvg: () => frame.exportSvg(),
    data: () => current,
  };
}

/** "Accuracy per layer, 2 series over 7 layers: standard 12.0% at layer_0 to 97.0% at layer_6; …". */
function summarize(data: LineChartData, what: string, fmt: (v: number | null) => string): string {
  const { xLabels, series } = data;
  const parts = series.map((s) => {
    const first = s.values.findIndex(isDefinedValue);
    const last = s.values.length - 1 - [...s.values].reverse().findIndex(isDefinedValue);
    const range =
      first < 0
        ? 'no values'
        : `${fmt(s.values[first])} at ${xLabels[first]} to ${fmt(s.values[last])} at ${xLabels[last]}`;
    return `${s.name} ${range}${s.marker ? ` (${s.marker.label})` : ''}`;
  });
  return `${what} per layer, ${series.length} series over ${xLabels.length} layers${parts.length ? `: ${parts.join('; ')}` : ''}`;
}
