import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';
import { categoryTicks } from './axes';
import { chartMethods, initialState, type BaseChartOptions, type Chart } from './chart';
import { ink, seriesColor } from './colors';
import { isDefinedValue } from './heatmapCells';
import { rowReadoutKeys } from './keyboard';
import { validateLineData } from './lineData';
import type { LineSeries, LineChartData } from './lineData';
export type { LineSeries, LineChartData } from './lineData';
import { createPlotFrame } from './plotFrame';
import { estimateTextWidth, formatExact, formatPercent, wrapText } from './text';

export interface LineChartOptions extends BaseChartOptions {
  /** Fixed y domain: 'accuracy' is [0, 1] shown as %, 'loss' is [0, max], or an explicit range. */
  yDomain: 'accuracy' | 'loss' | [number, number];
  yTitle?: string;
  xTitle?: string;
  /** Draw a dot at every value (default true). */
  showPoints?: boolean;
}

const EMPTY: LineChartData = { xLabels: [], series: [] };
/** Height of one row of marker labels above the plot. */
const ROW = 13;

/** Per-layer curves for several checkpoints with markers, a legend and a hover/keyboard readout. */
export function createLineChart(
  container: HTMLElement,
  options: LineChartOptions,
): Chart<LineChartData> {
  const percent = options.yDomain === 'accuracy';
  const fmt = (v: number | null) =>
    isDefinedValue(v) ? (percent ? formatPercent(v) : formatExact(v)) : 'undefined';
  const frame = createPlotFrame(container, 'line-chart', options.caption);
  const markersG = frame.layer('g').attr('class', 'strata-markers');
  const linesG = frame.layer('g').attr('class', 'strata-lines');
  const guide = frame
    .layer('line')
    .attr('data-export', 'skip')
    .attr('stroke', ink.focus)
    .attr('stroke-dasharray', '2,2')
    .style('display', 'none');

  const state = initialState(EMPTY, options, 520);
  let cursor = -1;
  let step = 1;

  function render(): void {
    const { xLabels, series } = state.data;
    const { width } = state;
    const n = xLabels.length;
    const colors = series.map((s, i) => seriesColor(i, s.color));
    const legendH = frame.drawLegend(
      series.map((s, i) => ({ name: s.name, color: colors[i], dashed: s.dashed, swatch: 'line' })),
      width,
    );
    // Each marker's label gets its own rows above the plot, wrapped to the figure's width.
    const maxChars = Math.max(8, Math.floor((width - 8) / estimateTextWidth('m')));
    const marked = series
      .map((s, i) => ({ s, i, lines: s.marker ? wrapText(s.marker.label, maxChars) : [] }))
      .filter(({ s }) => s.marker);
    const markerRows = marked.reduce((n, m) => n + m.lines.length, 0);
    const top = 10 + legendH + markerRows * ROW + (markerRows > 0 ? 8 : 0);
    const cats = categoryTicks(xLabels, frame.plotWidth(width), Boolean(options.xTitle));
    const height = state.height ?? Math.round(width * 0.55) + legendH;
    const { left, plotW, plotH } = frame.place(width, height, top, cats.bottom);
    step = plotW / Math.max(n, 1);

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
    frame.drawAxes({
      x: axisBottom(
        scaleLinear()
          .domain([-0.5, n - 0.5])
          .range([0, plotW]),
      )
        .tickValues(cats.ticks)
        .tickFormat((i) => cats.labels[+i] ?? ''),
      y: axisLeft(y)
        .ticks(5)
        .tickFormat((v) => (percent ? formatPercent(+v).replace('.0%', '%') : String(v))),
      grid: y.ticks(5).map(y),
      rotateX: cats.rotate,
      xTitle: options.xTitle,
      yTitle: options.yTitle,
    });

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
    markersG.selectAll('*').remove();
    let rowsBelow = markerRows;
    marked.forEach(({ s, i, lines }) => {
      const m = s.marker as { index: number; label: string };
      const mx = x(m.index);
      // The label's first row; the last sits right above the plot's top when it is the last marker.
      const firstRow = rowsBelow;
      rowsBelow -= lines.length;
      const lastY = -rowsBelow * ROW - 9;
      markersG
        .append('line')
        .attr('x1', mx)
        .attr('x2', mx)
        .attr('y1', lastY + 2)
        .attr('y2', plotH)
        .attr('stroke', colors[i])
        .attr('stroke-dasharray', '3,3');
      // Starts beside the marker and is pulled back inside the figure (left of the plot by
      // `left`, right of it by its right margin) when it would run past an edge.
      const w = Math.max(...lines.map((t) => estimateTextWidth(t)));
      const lo = -left + 4;
      const hi = width - left - 4 - w;
      const [right, leftOf] = [mx + 4, mx - 4 - w];
      const lx = right <= hi ? right : leftOf >= lo ? leftOf : Math.max(lo, Math.min(right, hi));
      const text = markersG
        .append('text')
        .attr('class', 'strata-marker-label')
        .attr('x', lx)
        .attr('y', -(firstRow - 1) * ROW - 9)
        .attr('fill', colors[i]);
      lines.forEach((t, j) =>
        text
          .append('tspan')
          .attr('x', lx)
          .attr('dy', j === 0 ? 0 : ROW)
          // A space ends each wrapped row, so that the label reads whole as text.
          .text(j < lines.length - 1 ? `${t} ` : t),
      );
    });
    frame.describe(summarize(state.data, options.yTitle ?? (percent ? 'Accuracy' : 'Value'), fmt));
    if (cursor >= 0) showIndex(cursor, false);
  }

  function showIndex(i: number, announce: boolean): void {
    const { xLabels, series } = state.data;
    if (xLabels.length === 0) return;
    cursor = Math.min(Math.max(i, 0), xLabels.length - 1);
    const cx = (cursor + 0.5) * step;
    const { left, top, plotH } = frame.layout;
    guide.style('display', null).attr('x1', cx).attr('x2', cx).attr('y1', 0).attr('y2', plotH);
    const lines = [xLabels[cursor], ...series.map((s) => `${s.name}: ${fmt(s.values[cursor])}`)];
    frame.tooltip.show(lines, left + cx, top + 10);
    if (announce) frame.announce(lines.join(', '));
  }
  function hide(): void {
    guide.style('display', 'none');
    frame.tooltip.hide();
  }

  frame.bindReadout(frame.overlay, {
    hover: ([px]) => showIndex(Math.floor((px - frame.layout.left) / step), false),
    ...rowReadoutKeys(showIndex, () => [cursor, state.data.xLabels.length]),
    hide,
  });
  render();

  return chartMethods(frame, state, (data) => validateLineData(data, 'lineChart.update'), render);
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
