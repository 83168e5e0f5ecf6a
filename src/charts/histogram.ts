import { axisBottom, axisLeft, scaleBand, scaleLinear, select } from 'd3';
import { drawAxisTitle, drawGridLines, styleAxis } from './axes';
import type { BaseChartOptions, Chart } from './chart';
import { ink, seriesColor } from './colors';
import { createFrame, localPoint } from './figure';
import { indexAfterKey } from './keyboard';
import { drawSeriesLegend } from './seriesLegend';
import {
  estimateTextWidth,
  formatCompact,
  formatPercent,
  thinnedTicks,
  truncateLabel,
} from './text';

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
  const frame = createFrame(container, 'histogram', options.caption, true);
  const svg = frame.svg;
  const legendG = svg
    .append('g')
    .attr('class', 'strata-legend')
    .attr('transform', 'translate(8,6)');
  const plot = svg.append('g');
  const gridG = plot.append('g').attr('class', 'strata-grid');
  const xAxisG = plot.append('g').attr('class', 'strata-x-axis');
  const yAxisG = plot.append('g').attr('class', 'strata-y-axis');
  const xTitleG = svg.append('g');
  const yTitleG = svg.append('g');
  const barsG = plot.append('g').attr('class', 'strata-bars');
  const focusRect = plot
    .append('rect')
    .attr('class', 'strata-focus')
    .attr('data-export', 'skip')
    .attr('fill', ink.focus)
    .attr('fill-opacity', 0.08)
    .attr('stroke', ink.focus)
    .style('display', 'none');
  const overlay = plot
    .append('rect')
    .attr('data-export', 'skip')
    .attr('fill', 'none')
    .attr('pointer-events', 'all');

  let current: HistogramData = EMPTY;
  let width = options.width ?? 480;
  let fixedHeight = options.height;
  let cursor = -1;
  let geom = { left: 52, top: 0, plotH: 0 };
  let x0 = scaleBand<number>();

  const totals = () => current.series.map((s) => s.counts.reduce((a, b) => a + b, 0));
  const valueOf = (si: number, i: number, t: number[]) =>
    fraction
      ? t[si] > 0
        ? current.series[si].counts[i] / t[si]
        : 0
      : current.series[si].counts[i];

  function render(): void {
    const { labels, series } = current;
    const t = totals();
    const legendH =
      series.length > 1 || series[0]?.name
        ? drawSeriesLegend(
            legendG,
            series.map((s, i) => ({
              name: s.name,
              color: seriesColor(i, s.color),
              swatch: 'square',
            })),
            width - 16,
          )
        : 0;
    const top = 10 + legendH;
    const plotW = Math.max(40, width - geom.left - 16);
    const short = labels.map((l) => truncateLabel(l, 14));
    const labelW = Math.max(0, ...short.map((l) => estimateTextWidth(l)));
    const ticks = thinnedTicks(labels.length, plotW, Math.min(labelW + 6, 60));
    const rotate = labelW + 6 > plotW / Math.max(ticks.length, 1);
    const bottom = (rotate ? labelW * 0.72 + 14 : 22) + (options.xTitle ? 18 : 4);
    const height = fixedHeight ?? Math.round(width * 0.5) + legendH;
    const plotH = Math.max(40, height - top - bottom);
    geom = { left: geom.left, top, plotH };
    frame.setSize(width, height);
    plot.attr('transform', `translate(${geom.left},${top})`);
    overlay.attr('width', plotW).attr('height', plotH);

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
    drawGridLines(
      gridG,
      y
        .ticks(5)
        .filter((v) => fraction || Number.isInteger(v))
        .map(y),
      plotW,
    );
    // Counts are whole: no tick between integers.
    const yTicks = y.ticks(5).filter((v) => fraction || Number.isInteger(v));
    yAxisG.call(
      axisLeft(y)
        .tickValues(yTicks)
        .tickFormat((v) => (fraction ? formatPercent(+v).replace('.0%', '%') : formatCompact(+v))),
    );
    xAxisG.attr('transform', `translate(0,${plotH})`).call(
      axisBottom(x0)
        .tickValues(ticks)
        .tickFormat((i) => short[i] ?? ''),
    );
    [xAxisG, yAxisG].forEach(styleAxis);
    xAxisG
      .selectAll('.tick text')
      .attr('text-anchor', rotate ? 'end' : 'middle')
      .attr('transform', rotate ? 'translate(-4,2) rotate(-45)' : null);
    drawAxisTitle(
      yTitleG,
      options.yTitle ?? (fraction ? 'fraction of samples' : 'samples'),
      14,
      top + plotH / 2,
      true,
    );
    drawAxisTitle(xTitleG, options.xTitle, geom.left + plotW / 2, height - 6, false);

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
      current.labels[i],
      ...current.series.map(
        (s, si) =>
          `${s.name ? `${s.name}: ` : ''}${s.counts[i]} (${formatPercent(t[si] > 0 ? s.counts[i] / t[si] : 0)})`,
      ),
    ];
  }

  function showBin(i: number, announce: boolean): void {
    if (current.labels.length === 0) return;
    cursor = Math.min(Math.max(i, 0), current.labels.length - 1);
    const bx = x0(cursor) ?? 0;
    focusRect
      .style('display', null)
      .attr('x', bx - 2)
      .attr('width', x0.bandwidth() + 4)
      .attr('y', 0)
      .attr('height', geom.plotH)
      .attr('data-bin', cursor);
    const lines = describeBin(cursor);
    frame.tooltip.show(lines, geom.left + bx + x0.bandwidth(), geom.top + 10);
    if (announce) frame.announce(lines.join(', '));
  }
  function hide(): void {
    focusRect.style('display', 'none');
    frame.tooltip.hide();
  }

  function summarize(): string {
    const t = totals();
    const parts = current.series.map((s, si) => {
      const peak = s.counts.indexOf(Math.max(...s.counts));
      return `${s.name || 'samples'} ${t[si]} in total${peak >= 0 && t[si] > 0 ? `, most at ${current.labels[peak]} (${s.counts[peak]})` : ''}`;
    });
    return `Histogram over ${current.labels.length} layers${parts.length ? `: ${parts.join('; ')}` : ''}`;
  }

  const svgNode = svg.node() as SVGSVGElement;
  frame.listen(overlay.node() as SVGRectElement, 'mousemove', (event) => {
    const px = localPoint(event, svgNode)[0] - geom.left;
    const step = x0.step();
    const i = Math.floor((px - (x0(0) ?? 0) + (step - x0.bandwidth()) / 2) / step);
    if (i >= 0 && i < current.labels.length) showBin(i, false);
    else hide();
  });
  frame.listen(overlay.node() as SVGRectElement, 'mouseleave', hide);
  frame.listen(svgNode, 'focus', () => showBin(Math.max(cursor, 0), true));
  frame.listen(svgNode, 'blur', hide);
  frame.listen(svgNode, 'keydown', (event) => {
    if (event.key === 'Escape') hide();
    const next = indexAfterKey(event.key, Math.max(cursor, 0), current.labels.length);
    if (next === null) return;
    event.preventDefault();
    showBin(next, true);
  });
  render();

  return {
    update(data) {
      if (frame.destroyed) return;
      validateHistogramData(data, 'histogram.update');
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
