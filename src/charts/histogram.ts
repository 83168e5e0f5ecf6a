import { axisBottom, axisLeft, scaleBand, scaleLinear, select } from 'd3';
import { categoryTicks } from './axes';
import { chartMethods, initialState, type BaseChartOptions, type Chart } from './chart';
import { ink, seriesColor } from './colors';
import { rowReadoutKeys } from './keyboard';
import { createPlotFrame } from './plotFrame';
import { formatCompact, formatPercent } from './text';

/** Counts per layer (e.g. of exit layers or saturation layers), one or more series side by side. */
export interface HistogramData {
  /** One label per bin (layer). */
  labels: string[];
  series: { name: string; counts: number[]; color?: string }[];
}

export interface HistogramOptions extends BaseChartOptions {
  /** Bar heights as counts, or as fractions of each series' total (domain fixed to [0, 1]). */
  mode?: 'count' | 'fraction';
  /** Fixed y domain (default [0, 1] for fractions, [0, max count] for counts). */
  yDomain?: [number, number];
  xTitle?: string;
  yTitle?: string;
}

const EMPTY: HistogramData = { labels: [], series: [] };

/** Bars over layer indices, grouped side by side when there are several series. */
export function createHistogram(
  container: HTMLElement,
  options: HistogramOptions,
): Chart<HistogramData> {
  const fraction = options.mode === 'fraction';
  const frame = createPlotFrame(container, 'histogram', options.caption);
  const barsG = frame.layer('g').attr('class', 'strata-bars');
  const focusRect = frame
    .layer('rect')
    .attr('class', 'strata-focus')
    .attr('data-export', 'skip')
    .attr('fill', ink.focus)
    .attr('fill-opacity', 0.08)
    .attr('stroke', ink.focus)
    .style('display', 'none');

  const state = initialState(EMPTY, options, 480);
  let cursor = -1;
  let x0 = scaleBand<number>();

  const totals = () => state.data.series.map((s) => s.counts.reduce((a, b) => a + b, 0));
  const valueOf = (si: number, i: number, t: number[]) =>
    fraction
      ? t[si] > 0
        ? state.data.series[si].counts[i] / t[si]
        : 0
      : state.data.series[si].counts[i];

  function render(): void {
    const { labels, series } = state.data;
    const { width } = state;
    const t = totals();
    const legendH =
      series.length > 1 || series[0]?.name
        ? frame.drawLegend(
            series.map((s, i) => ({
              name: s.name,
              color: seriesColor(i, s.color),
              swatch: 'square',
            })),
            width,
          )
        : 0;
    const cats = categoryTicks(labels, frame.plotWidth(width), Boolean(options.xTitle));
    const height = state.height ?? Math.round(width * 0.5) + legendH;
    const { plotW, plotH } = frame.place(width, height, 10 + legendH, cats.bottom);

    x0 = scaleBand<number>()
      .domain(labels.map((_, i) => i))
      .range([0, plotW])
      .paddingInner(0.2)
      .paddingOuter(0.1);
    const x1 = scaleBand<number>()
      .domain(series.map((_, i) => i))
      .range([0, x0.bandwidth()])
      .padding(0.05);
    const maxValue = Math.max(
      0,
      ...series.flatMap((_, si) => labels.map((_l, i) => valueOf(si, i, t))),
    );
    const y = scaleLinear()
      .domain(options.yDomain ?? (fraction ? [0, 1] : [0, maxValue || 1]))
      .range([plotH, 0]);
    if (!options.yDomain && !fraction) y.nice();
    // Counts are whole: no tick between integers.
    const yTicks = y.ticks(5).filter((v) => fraction || Number.isInteger(v));
    frame.drawAxes({
      x: axisBottom(x0)
        .tickValues(cats.ticks)
        .tickFormat((i) => cats.labels[i] ?? ''),
      y: axisLeft(y)
        .tickValues(yTicks)
        .tickFormat((v) => (fraction ? formatPercent(+v).replace('.0%', '%') : formatCompact(+v))),
      grid: yTicks.map(y),
      rotateX: cats.rotate,
      xTitle: options.xTitle,
      yTitle: options.yTitle ?? (fraction ? 'fraction of samples' : 'samples'),
    });

    barsG
      .selectAll<SVGGElement, unknown>('g')
      .data(series)
      .join('g')
      .attr('fill', (s, si) => seriesColor(si, s.color))
      .each(function (_s, si) {
        select(this)
          .selectAll('rect')
          .data(labels.map((_l, i) => i))
          .join('rect')
          .attr('data-series', si)
          .attr('data-bin', (i) => i)
          .attr('x', (i) => (x0(i) ?? 0) + (x1(si) ?? 0))
          .attr('width', x1.bandwidth())
          .attr('y', (i) => y(valueOf(si, i, t)))
          .attr('height', (i) => Math.max(0, plotH - y(valueOf(si, i, t))));
      });
    frame.describe(summarize());
    if (cursor >= 0) showBin(cursor, false);
  }

  function describeBin(i: number): string[] {
    const t = totals();
    return [
      state.data.labels[i],
      ...state.data.series.map(
        (s, si) =>
          `${s.name ? `${s.name}: ` : ''}${s.counts[i]} (${formatPercent(t[si] > 0 ? s.counts[i] / t[si] : 0)})`,
      ),
    ];
  }

  function showBin(i: number, announce: boolean): void {
    if (state.data.labels.length === 0) return;
    cursor = Math.min(Math.max(i, 0), state.data.labels.length - 1);
    const bx = x0(cursor) ?? 0;
    const { left, top, plotH } = frame.layout;
    focusRect
      .style('display', null)
      .attr('x', bx - 2)
      .attr('width', x0.bandwidth() + 4)
      .attr('y', 0)
      .attr('height', plotH)
      .attr('data-bin', cursor);
    const lines = describeBin(cursor);
    frame.tooltip.show(lines, left + bx + x0.bandwidth(), top + 10);
    if (announce) frame.announce(lines.join(', '));
  }
  function hide(): void {
    focusRect.style('display', 'none');
    frame.tooltip.hide();
  }

  function summarize(): string {
    const { labels, series } = state.data;
    const t = totals();
    const parts = series.map((s, si) => {
      const peak = s.counts.indexOf(Math.max(...s.counts));
      return `${s.name || 'samples'} ${t[si]} in total${peak >= 0 && t[si] > 0 ? `, most at ${labels[peak]} (${s.counts[peak]})` : ''}`;
    });
    return `Histogram over ${labels.length} layers${parts.length ? `: ${parts.join('; ')}` : ''}`;
  }

  frame.bindReadout(frame.overlay, {
    hover([px]) {
      const step = x0.step();
      const i = Math.floor(
        (px - frame.layout.left - (x0(0) ?? 0) + (step - x0.bandwidth()) / 2) / step,
      );
      if (i >= 0 && i < state.data.labels.length) showBin(i, false);
      else hide();
    },
    ...rowReadoutKeys(showBin, () => [cursor, state.data.labels.length]),
    hide,
  });
  render();

  return chartMethods(
    frame,
    state,
    (data) => validateHistogramData(data, 'histogram.update'),
    render,
  );
}

function validateHistogramData(data: HistogramData, where: string): void {
  if (!data || !Array.isArray(data.labels) || !Array.isArray(data.series)) {
    throw new Error(`${where}: expected { labels: string[], series: { name, counts }[] }`);
  }
  data.series.forEach((s, i) => {
    if (
      typeof s?.name !== 'string' ||
      !Array.isArray(s.counts) ||
      s.counts.length !== data.labels.length
    ) {
      throw new Error(
        `${where}: series[${i}] must have a name and ${data.labels.length} counts (one per label)`,
      );
    }
    const j = s.counts.findIndex((c) => !(Number.isFinite(c) && c >= 0));
    if (j >= 0)
      throw new Error(
        `${where}: series "${s.name}" count ${j} is ${String(s.counts[j])}, expected a number ≥ 0`,
      );
  });
}
