import { axisBottom, axisLeft, axisTop, line, scaleLinear, select } from 'd3';
import { drawAxisTitle, styleAxis } from './axes';
import { chartMethods, initialState, type BaseChartOptions, type Chart } from './chart';
import { ink, seriesColor } from './colors';
import { createPlotFrame } from './plotFrame';
import { formatPercent, formatShort, formatSpeedup } from './text';
import { placeLabel, type Box } from './labelPlacement';
import {
  accuracyDomain,
  describeAccuracyDomain,
  formatMeasure,
  measureOf,
  perplexityDomain,
  resolveCurrentPoint,
  speedupTicks,
  summarizeTradeoff,
  validateTradeoffData,
} from './tradeoffData';
import type {
  TradeoffPoint,
  TradeoffSeries,
  TradeoffData,
  CurrentPoint,
  TradeoffMeasure,
} from './tradeoffData';
export type {
  TradeoffPoint,
  TradeoffSeries,
  TradeoffData,
  CurrentPoint,
  TradeoffMeasure,
} from './tradeoffData';

export interface TradeoffChartOptions extends BaseChartOptions {
  /** The y axis: accuracy (default) or each point's `perplexity`. */
  measure?: TradeoffMeasure;
  /** y domain (accuracy shown as %); default fitted to the points (`accuracyDomain`). */
  yDomain?: [number, number];
  /** Name of the swept parameter in readouts (default "τ"). */
  thresholdLabel?: string;
}

export interface TradeoffChart extends Chart<TradeoffData> {
  /** Highlights the point the controls are on (null to clear). */
  setCurrent(current: CurrentPoint): void;
}

const EMPTY: TradeoffData = { layers: 1, series: [] };

/**
 * Early-exit trade-off: accuracy (or a language model's perplexity) against mean exit layer
 * (bottom) and speed-up (top).
 */
export function createTradeoffChart(
  container: HTMLElement,
  options: TradeoffChartOptions,
): TradeoffChart {
  const tLabel = options.thresholdLabel ?? 'τ';
  const measure = options.measure ?? 'accuracy';
  const yOf = (p: TradeoffPoint) => measureOf(p, measure);
  const frame = createPlotFrame(container, 'tradeoff-chart', options.caption);
  const topAxisG = frame.plot.insert('g', '.strata-y-axis').attr('class', 'strata-speedup-axis');
  const topTitleG = frame.svg.append('g').attr('class', 'strata-speedup-title');
  const seriesG = frame.layer('g').attr('class', 'strata-lines');
  const currentG = frame.layer('g').attr('class', 'strata-current');
  const hoverG = frame.layer('g').attr('data-export', 'skip');

  const state = initialState(EMPTY, options, 520);
  let currentPoint: CurrentPoint = null;
  let x = scaleLinear();
  let y = scaleLinear();
  let cursor: [number, number] | null = null;

  const colorOf = (i: number) => seriesColor(i, state.data.series[i]?.color);
  const ordered = (s: TradeoffSeries) =>
    s.points.slice().sort((a, b) => a.meanExitLayer - b.meanExitLayer);
  const readout = (name: string, p: TradeoffPoint) => [
    name,
    ...(p.threshold === undefined ? [] : [`${tLabel} = ${formatShort(p.threshold)}`]),
    `mean exit layer ${formatShort(p.meanExitLayer)} (${formatSpeedup(state.data.layers / p.meanExitLayer)}× speed-up)`,
    `accuracy ${formatPercent(p.accuracy)}`,
    ...(p.perplexity === undefined ? [] : [`perplexity ${formatShort(p.perplexity)}`]),
  ];

  function render(): void {
    const { width } = state;
    const legendH = frame.drawLegend(
      state.data.series.map((s, i) => ({
        name: s.name,
        color: colorOf(i),
        dashed: s.dashed,
        swatch: 'line',
      })),
      width,
    );
    const height = state.height ?? Math.round(width * 0.6) + legendH;
    const { left, top, plotW, plotH } = frame.place(width, height, 10 + legendH + 34, 40);
    const L = state.data.layers;
    x = scaleLinear()
      .domain([1, Math.max(L, 1 + 1e-9)])
      .range([0, plotW]);
    y = scaleLinear()
      .domain(
        options.yDomain ??
          (measure === 'perplexity' ? perplexityDomain(state.data) : accuracyDomain(state.data)),
      )
      .range([plotH, 0]);
    frame.drawAxes({
      x: axisBottom(x)
        .ticks(Math.min(L - 1, plotW / 50))
        .tickFormat((v) => formatShort(+v)),
      y: axisLeft(y)
        .ticks(5)
        .tickFormat((v) =>
          measure === 'perplexity' ? formatShort(+v) : formatPercent(+v).replace('.0%', '%'),
        ),
      grid: y.ticks(5).map(y),
      xTitle: 'mean exit layer',
      yTitle: measure,
    });
    topAxisG.call(
      axisTop(x)
        .tickValues(speedupTicks(L, x, 28).map((s) => L / s))
        .tickFormat((v) => `${formatSpeedup(L / +v)}×`),
    );
    styleAxis(topAxisG);
    drawAxisTitle(topTitleG, 'speed-up', left + plotW / 2, top - 26, false);

    const path = line<TradeoffPoint>()
      .x((p) => x(p.meanExitLayer))
      .y((p) => y(yOf(p)));
    seriesG
      .selectAll<SVGGElement, TradeoffSeries>('g')
      .data(state.data.series)
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
          .attr('cy', (p) => y(yOf(p)));
      });
    drawCurrent();
    if (cursor) showPoint(cursor[0], cursor[1], false);
  }

  /** Marks the point the controls are on and sums the chart up with it. */
  function drawCurrent(): void {
    currentG.selectAll('*').remove();
    const r = resolveCurrentPoint(state.data, currentPoint);
    const [y0, y1] = y.domain() as [number, number];
    const axis =
      measure === 'perplexity'
        ? `perplexity axis ${formatShort(y0)}–${formatShort(y1)}`
        : describeAccuracyDomain([y0, y1]);
    frame.describe(`${summarizeTradeoff(state.data, r, measure)}; ${axis}`);
    if (!r) return;
    const cx = x(r.p.meanExitLayer);
    const cy = y(yOf(r.p));
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
    // Inside the plot (off the tick labels of both axes) and clear of the curves' points.
    const text = `${formatMeasure(yOf(r.p), measure)} · ${formatSpeedup(state.data.layers / r.p.meanExitLayer)}×`;
    const dots: Box[] = state.data.series.flatMap((s) =>
      s.points.map((p) => ({
        x: x(p.meanExitLayer) - 3,
        y: y(yOf(p)) - 3,
        width: 6,
        height: 6,
      })),
    );
    const area = { x: 0, y: 0, width: x.range()[1], height: y.range()[0] };
    const label = placeLabel(cx, cy, text, area, dots);
    currentG
      .append('text')
      .attr('x', label.x)
      .attr('y', label.y)
      .attr('paint-order', 'stroke')
      .attr('stroke', ink.background)
      .attr('stroke-width', 3)
      .text(text);
  }

  function showPoint(s: number, i: number, announce: boolean): void {
    const series = state.data.series[s];
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
      .attr('cy', y(yOf(p)));
    const lines = readout(series.name, p);
    const { left, top } = frame.layout;
    frame.tooltip.show(lines, left + x(p.meanExitLayer), top + y(yOf(p)));
    if (announce) frame.announce(lines.join(', '));
  }
  function hide(): void {
    hoverG.selectAll('*').remove();
    frame.tooltip.hide();
  }

  frame.bindReadout(frame.overlay, {
    hover(point) {
      const { left, top } = frame.layout;
      const [px, py] = [point[0] - left, point[1] - top];
      let best: [number, number, number] | null = null;
      state.data.series.forEach((s, si) =>
        ordered(s).forEach((p, i) => {
          const d = Math.hypot(x(p.meanExitLayer) - px, y(yOf(p)) - py);
          if (!best || d < best[2]) best = [si, i, d];
        }),
      );
      const b = best as [number, number, number] | null;
      if (b && b[2] < 40) showPoint(b[0], b[1], false);
      else hide();
    },
    focus: () => showPoint(cursor?.[0] ?? 0, cursor?.[1] ?? 0, true),
    key(key) {
      const [s, i] = cursor ?? [0, 0];
      const n = state.data.series.length;
      const moves: Record<string, [number, number]> = {
        ArrowLeft: [s, i - 1],
        ArrowRight: [s, i + 1],
        Home: [s, 0],
        End: [s, Number.MAX_SAFE_INTEGER],
        ArrowUp: [(s + 1) % Math.max(n, 1), i],
        ArrowDown: [(s - 1 + n) % Math.max(n, 1), i],
      };
      if (!(key in moves) || n === 0) return false;
      showPoint(moves[key][0], moves[key][1], true);
      return true;
    },
    hide,
  });
  render();

  const accept = (data: TradeoffData) => {
    validateTradeoffData(data, 'tradeoffChart.update', measure);
    cursor = null;
  };
  return {
    ...chartMethods(frame, state, accept, render),
    setCurrent(c) {
      if (frame.destroyed) return;
      currentPoint = c;
      drawCurrent();
    },
  };
}
