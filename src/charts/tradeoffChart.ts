import { axisBottom, axisLeft, axisTop, line, scaleLinear, select } from 'd3';
import { drawAxisTitle, drawGridLines, styleAxis } from './axes';
import type { BaseChartOptions, Chart } from './chart';
import { ink, seriesColor } from './colors';
import { createFrame, localPoint } from './figure';
import { drawSeriesLegend } from './seriesLegend';
import { formatPercent, formatShort, formatSpeedup } from './text';
import {
  resolveCurrentPoint,
  speedupTicks,
  summarizeTradeoff,
  validateTradeoffData,
} from './tradeoffData';
import type { TradeoffPoint, TradeoffSeries, TradeoffData, CurrentPoint } from './tradeoffData';
export type { TradeoffPoint, TradeoffSeries, TradeoffData, CurrentPoint } from './tradeoffData';

export interface TradeoffChartOptions extends BaseChartOptions {
  /** Accuracy domain (default [0, 1], shown as %). */
  yDomain?: [number, number];
  /** Name of the swept parameter in readouts (default "τ"). */
  thresholdLabel?: string;
}

export interface TradeoffChart extends Chart<TradeoffData> {
  /** Highlights the point the controls are on (null to clear). */
  setCurrent(current: CurrentPoint): void;
}

const EMPTY: TradeoffData = { layers: 1, series: [] };

/** Early-exit trade-off: accuracy against mean exit layer (bottom) and speed-up (top). */
export function createTradeoffChart(
  container: HTMLElement,
  options: TradeoffChartOptions,
): TradeoffChart {
  const tLabel = options.thresholdLabel ?? 'τ';
  const frame = createFrame(container, 'tradeoff-chart', options.caption, true);
  const svg = frame.svg;
  const legendG = svg
    .append('g')
    .attr('class', 'strata-legend')
    .attr('transform', 'translate(8,6)');
  const plot = svg.append('g');
  const gridG = plot.append('g').attr('class', 'strata-grid');
  const xAxisG = plot.append('g').attr('class', 'strata-x-axis');
  const topAxisG = plot.append('g').attr('class', 'strata-speedup-axis');
  const yAxisG = plot.append('g').attr('class', 'strata-y-axis');
  const titles = [svg.append('g'), svg.append('g'), svg.append('g')];
  const seriesG = plot.append('g').attr('class', 'strata-lines');
  const currentG = plot.append('g').attr('class', 'strata-current');
  const hoverG = plot.append('g').attr('data-export', 'skip');
  const overlay = plot
    .append('rect')
    .attr('data-export', 'skip')
    .attr('fill', 'none')
    .attr('pointer-events', 'all');

  let current: TradeoffData = EMPTY;
  let currentPoint: CurrentPoint = null;
  let width = options.width ?? 520;
  let fixedHeight = options.height;
  let x = scaleLinear();
  let y = scaleLinear();
  let geom = { left: 52, top: 0 };
  let cursor: [number, number] | null = null;

  const colorOf = (i: number) => seriesColor(i, current.series[i]?.color);
  const ordered = (s: TradeoffSeries) =>
    s.points.slice().sort((a, b) => a.meanExitLayer - b.meanExitLayer);
  const readout = (name: string, p: TradeoffPoint) => [
    name,
    ...(p.threshold === undefined ? [] : [`${tLabel} = ${formatShort(p.threshold)}`]),
    `mean exit layer ${formatShort(p.meanExitLayer)} (${formatSpeedup(current.layers / p.meanExitLayer)}× speed-up)`,
    `accuracy ${formatPercent(p.accuracy)}`,
  ];

  function render(): void {
    const legendH = drawSeriesLegend(
      legendG,
      current.series.map((s, i) => ({
        name: s.name,
        color: colorOf(i),
        dashed: s.dashed,
        swatch: 'line',
      })),
      width - 16,
    );
    const top = 10 + legendH + 34;
    const height = fixedHeight ?? Math.round(width * 0.6) + legendH;
    const plotW = Math.max(40, width - geom.left - 16);
    const plotH = Math.max(40, height - top - 40);
    geom = { left: geom.left, top };
    frame.setSize(width, height);
    plot.attr('transform', `translate(${geom.left},${top})`);
    overlay.attr('width', plotW).attr('height', plotH);
    const L = current.layers;
    x = scaleLinear()
      .domain([1, Math.max(L, 1 + 1e-9)])
      .range([0, plotW]);
    y = scaleLinear()
      .domain(options.yDomain ?? [0, 1])
      .range([plotH, 0]);
    drawGridLines(gridG, y.ticks(5).map(y), plotW);
    yAxisG.call(
      axisLeft(y)
        .ticks(5)
        .tickFormat((v) => formatPercent(+v).replace('.0%', '%')),
    );
    xAxisG.attr('transform', `translate(0,${plotH})`).call(
      axisBottom(x)
        .ticks(Math.min(L - 1, plotW / 50))
        .tickFormat((v) => formatShort(+v)),
    );
    topAxisG.call(
      axisTop(x)
        .tickValues(speedupTicks(L, x, 28).map((s) => L / s))
        .tickFormat((v) => `${formatSpeedup(L / +v)}×`),
    );
    [yAxisG, xAxisG, topAxisG].forEach(styleAxis);
    drawAxisTitle(titles[0], 'accuracy', 14, top + plotH / 2, true);
    drawAxisTitle(titles[1], 'mean exit layer', geom.left + plotW / 2, height - 6, false);
    drawAxisTitle(titles[2], 'speed-up', geom.left + plotW / 2, top - 26, false);

    const path = line<TradeoffPoint>()
      .x((p) => x(p.meanExitLayer))
      .y((p) => y(p.accuracy));
    seriesG
      .selectAll<SVGGElement, TradeoffSeries>('g')
      .data(current.series)
      .join('g')
      .attr('class', 'strata-series')
      .each(function (s, i) {
        const g = select(this);
        g.selectAll('*').remove();
        g.append('path')
          .attr('d', path(ordered(s)))
          .attr('fill', 'none')
          .attr('stroke', colorOf(i))
          .attr('stroke-width', 2)
          .attr('stroke-dasharray', s.dashed ? '6,4' : null);
        g.selectAll('circle')
          .data(s.points)
          .join('circle')
          .attr('r', 3)
          .attr('fill', colorOf(i))
          .attr('stroke', ink.background)
          .attr('cx', (p) => x(p.meanExitLayer))
          .attr('cy', (p) => y(p.accuracy));
      });
    drawCurrent();
    frame.describe(summarizeTradeoff(current, resolveCurrentPoint(current, currentPoint)));
    if (cursor) showPoint(cursor[0], cursor[1], false);
  }

  function drawCurrent(): void {
    currentG.selectAll('*').remove();
    const r = resolveCurrentPoint(current, currentPoint);
    if (!r) return;
    const cx = x(r.p.meanExitLayer);
    const cy = y(r.p.accuracy);
    currentG
      .append('path')
      .attr('d', `M${cx},${cy}V${y.range()[0]}M0,${cy}H${cx}`)
      .attr('stroke', ink.muted)
      .attr('stroke-dasharray', '2,3');
    currentG
      .append('circle')
      .attr('cx', cx)
      .attr('cy', cy)
      .attr('r', 6)
      .attr('fill', colorOf(r.s))
      .attr('stroke', ink.focus)
      .attr('stroke-width', 2);
    const right = cx > x.range()[1] * 0.7;
    currentG
      .append('text')
      .attr('x', cx + (right ? -10 : 10))
      .attr('y', cy - 10)
      .attr('text-anchor', right ? 'end' : 'start')
      .text(
        `${formatPercent(r.p.accuracy)} · ${formatSpeedup(current.layers / r.p.meanExitLayer)}×`,
      );
  }

  function showPoint(s: number, i: number, announce: boolean): void {
    const series = current.series[s];
    if (!series || series.points.length === 0) return;
    const pts = ordered(series);
    i = Math.min(Math.max(i, 0), pts.length - 1);
    cursor = [s, i];
    const p = pts[i];
    hoverG
      .selectAll('circle')
      .data([p])
      .join('circle')
      .attr('r', 5)
      .attr('fill', 'none')
      .attr('stroke', ink.focus)
      .attr('stroke-width', 2)
      .attr('cx', x(p.meanExitLayer))
      .attr('cy', y(p.accuracy));
    const lines = readout(series.name, p);
    frame.tooltip.show(lines, geom.left + x(p.meanExitLayer), geom.top + y(p.accuracy));
    if (announce) frame.announce(lines.join(', '));
  }
  function hide(): void {
    hoverG.selectAll('*').remove();
    frame.tooltip.hide();
  }

  const svgNode = svg.node() as SVGSVGElement;
  frame.listen(overlay.node() as SVGRectElement, 'mousemove', (event) => {
    const [px, py] = localPoint(event, svgNode).map((v, k) => v - (k === 0 ? geom.left : geom.top));
    let best: [number, number, number] | null = null;
    current.series.forEach((s, si) =>
      ordered(s).forEach((p, i) => {
        const d = Math.hypot(x(p.meanExitLayer) - px, y(p.accuracy) - py);
        if (!best || d < best[2]) best = [si, i, d];
      }),
    );
    const b = best as [number, number, number] | null;
    if (b && b[2] < 40) showPoint(b[0], b[1], false);
    else hide();
  });
  frame.listen(overlay.node() as SVGRectElement, 'mouseleave', hide);
  frame.listen(svgNode, 'focus', () => showPoint(cursor?.[0] ?? 0, cursor?.[1] ?? 0, true));
  frame.listen(svgNode, 'blur', hide);
  frame.listen(svgNode, 'keydown', (event) => {
    const [s, i] = cursor ?? [0, 0];
    const n = current.series.length;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [s, i - 1],
      ArrowRight: [s, i + 1],
      Home: [s, 0],
      End: [s, Number.MAX_SAFE_INTEGER],
      ArrowUp: [(s + 1) % Math.max(n, 1), i],
      ArrowDown: [(s - 1 + n) % Math.max(n, 1), i],
    };
    if (event.key === 'Escape') hide();
    if (!(event.key in moves) || n === 0) return;
    event.preventDefault();
    showPoint(moves[event.key][0], moves[event.key][1], true);
  });
  render();

  return {
    update(data) {
      if (frame.destroyed) return;
      validateTradeoffData(data, 'tradeoffChart.update');
      current = data;
      cursor = null;
      render();
    },
    setCurrent(c) {
      if (frame.destroyed) return;
      currentPoint = c;
      drawCurrent();
      frame.describe(summarizeTradeoff(current, resolveCurrentPoint(current, currentPoint)));
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
