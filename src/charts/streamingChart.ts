import { axisBottom, axisLeft, bisector, extent, line, scaleLinear, scaleLog } from 'd3';
import { chartMethods, initialState, type BaseChartOptions, type Chart } from './chart';
import { ink, seriesColor } from './colors';
import { rowReadoutKeys } from './keyboard';
import { createPlotFrame } from './plotFrame';
import { createStreamBuffer, type StreamBuffer, type XY } from './streamBuffer';
import { formatCompact, formatShort } from './text';

/** One appended point of series `series`. */
export interface StreamPoint extends XY {
  series: string;
}

export interface StreamingData {
  series: { name: string; points: XY[] }[];
}

export interface StreamingChartOptions extends BaseChartOptions {
  /** 'log' for losses; points with y ≤ 0 are then left out. Default 'linear'. */
  yScale?: 'linear' | 'log';
  /** Fixed y domain; default fitted to the data (from 0 on a linear scale). */
  yDomain?: [number, number];
  xTitle?: string;
  yTitle?: string;
  /** Points kept per series before older ones are thinned (default 5,000). */
  maxPointsPerSeries?: number;
  /** Colour per series name; other series take the palette in order of appearance. */
  colors?: Record<string, string>;
}

export interface StreamingChart extends Chart<StreamingData> {
  /** Adds points to their series (created on first sight) and schedules one redraw per frame. */
  append(points: StreamPoint[]): void;
  /** Draws now what is pending (before an export, or in tests). */
  flush(): void;
}

/** Training curves that grow point by point: paths are updated in place, at most once per frame. */
export function createStreamingChart(
  container: HTMLElement,
  options: StreamingChartOptions,
): StreamingChart {
  const max = options.maxPointsPerSeries ?? 5000;
  createStreamBuffer(max); // validates max before anything is drawn
  const log = options.yScale === 'log';
  const frame = createPlotFrame(container, 'streaming-chart', options.caption);
  const win = container.ownerDocument.defaultView;
  const linesG = frame
    .layer('g')
    .attr('class', 'strata-lines')
    .attr('fill', 'none')
    .attr('stroke-width', 1.5);
  const cursorG = frame.layer('g').attr('data-export', 'skip').style('display', 'none');

  const buffers = new Map<string, StreamBuffer>();
  const state = initialState<StreamingData>({ series: [] }, options, 520);
  let pending: { cancel: () => void } | null = null;
  let legend = { key: '', height: 0 };
  let x = scaleLinear();
  let y: (v: number) => number = scaleLinear();
  let cursor = -1;

  const colorOf = (name: string) =>
    seriesColor([...buffers.keys()].indexOf(name), options.colors?.[name]);
  const snapshot = (): StreamingData => ({
    series: [...buffers].map(([name, b]) => ({ name, points: b.points() })),
  });

  function add(points: StreamPoint[]): void {
    points.forEach((p, i) => {
      if (typeof p?.series !== 'string' || typeof p.x !== 'number' || typeof p.y !== 'number') {
        throw new Error(
          `streamingChart.append: point ${i} is ${JSON.stringify(p)}, expected { series: string, x: number, y: number }`,
        );
      }
      let b = buffers.get(p.series);
      if (!b) buffers.set(p.series, (b = createStreamBuffer(max)));
      b.push({ x: p.x, y: p.y });
    });
  }

  function schedule(): void {
    if (pending || frame.destroyed) return;
    const run = () => {
      pending = null;
      draw();
    };
    if (win && typeof win.requestAnimationFrame === 'function') {
      const id = win.requestAnimationFrame(run);
      pending = { cancel: () => win.cancelAnimationFrame(id) };
    } else {
      const id = setTimeout(run, 16);
      pending = { cancel: () => clearTimeout(id) };
    }
  }

  function draw(): void {
    if (frame.destroyed) return;
    const data = snapshot();
    const { width } = state;
    const names = data.series.map((s) => s.name);
    // The legend is redrawn only when the series or the width change, not on every append.
    const key = `${width}\u0000${names.join('\u0000')}`;
    if (key !== legend.key) {
      const items = names.map((name) => ({ name, color: colorOf(name), swatch: 'line' as const }));
      legend = { key, height: frame.drawLegend(items, width) };
    }
    const height = state.height ?? Math.round(width * 0.5) + legend.height;
    const bottom = 24 + (options.xTitle ? 16 : 0);
    const { plotW, plotH } = frame.place(width, height, 10 + legend.height, bottom);

    const usable = (p: XY) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!log || p.y > 0);
    const all = data.series.flatMap((s) => s.points.filter(usable));
    const [x0, x1] = extent(all, (p) => p.x);
    x = scaleLinear()
      .domain(x0 === undefined ? [0, 1] : x0 === x1 ? [x0 - 1, x0 + 1] : [x0, x1 as number])
      .range([0, plotW]);
    const [y0, y1] = extent(all, (p) => p.y);
    const yScale = log
      ? scaleLog().domain(
          options.yDomain ??
            (y0 === undefined ? [0.1, 1] : [y0, Math.max(y1 as number, y0 * 1.01)]),
        )
      : scaleLinear().domain(options.yDomain ?? [Math.min(0, y0 ?? 0), Math.max(y1 ?? 1, 1e-9)]);
    yScale.range([plotH, 0]);
    if (!options.yDomain) yScale.nice();
    y = yScale;
    frame.drawAxes({
      x: axisBottom(x)
        .ticks(Math.max(2, plotW / 80))
        .tickFormat((v) => formatCompact(+v)),
      y: log
        ? axisLeft(yScale).ticks(5, '~g')
        : axisLeft(yScale)
            .ticks(5)
            .tickFormat((v) => formatCompact(+v)),
      // On a log scale only decades get a grid line; the 2…9 ticks would crowd it.
      grid: yScale
        .ticks(5)
        .filter((t) => !log || Number.isInteger(Math.log10(t)))
        .map(yScale),
      xTitle: options.xTitle,
      yTitle: options.yTitle,
    });

    const path = line<XY>()
      .defined(usable)
      .x((p) => x(p.x))
      .y((p) => y(p.y));
    linesG
      .selectAll<SVGPathElement, { name: string; points: XY[] }>('path')
      .data(data.series, (s) => s.name)
      .join((enter) => enter.append('path').attr('stroke', (s) => colorOf(s.name)))
      .attr('data-series', (s) => s.name)
      .attr('d', (s) => path(s.points));
    frame.describe(
      summarize(
        data,
        options.yTitle ?? 'Training curves',
        [...buffers.values()].map((b) => b.seen()),
      ),
    );
    if (cursor >= 0) showCursor(cursor, false);
  }

  function longest(): XY[] {
    return snapshot().series.reduce<XY[]>(
      (a, s) => (s.points.length > a.length ? s.points : a),
      [],
    );
  }

  function showCursor(i: number, announce: boolean): void {
    const ref = longest();
    if (ref.length === 0) return;
    cursor = Math.min(Math.max(i, 0), ref.length - 1);
    const at = ref[cursor].x;
    const near = bisector<XY, number>((p) => p.x).center;
    const rows = snapshot()
      .series.map((s) => ({ s, p: s.points[near(s.points, at)] }))
      .filter((r) => r.p);
    cursorG.style('display', null);
    cursorG
      .selectAll('line')
      .data([at])
      .join('line')
      .attr('x1', x)
      .attr('x2', x)
      .attr('y1', 0)
      .attr('y2', frame.layout.plotH)
      .attr('stroke', ink.focus)
      .attr('stroke-dasharray', '2,2');
    cursorG
      .selectAll('circle')
      .data(rows)
      .join('circle')
      .attr('r', 3)
      .attr('cx', (r) => x(r.p.x))
      .attr('cy', (r) => y(r.p.y))
      .attr('fill', (r) => colorOf(r.s.name));
    const lines = [
      `${options.xTitle ?? 'x'} ${formatShort(at)}`,
      ...rows.map((r) => `${r.s.name}: ${formatShort(r.p.y)}`),
    ];
    frame.tooltip.show(lines, frame.layout.left + x(at), frame.layout.top + 10);
    if (announce) frame.announce(lines.join(', '));
  }
  function hide(): void {
    cursorG.style('display', 'none');
    frame.tooltip.hide();
    cursor = -1;
  }

  frame.bindReadout(frame.overlay, {
    hover([px]) {
      const at = x.invert(px - frame.layout.left);
      showCursor(bisector<XY, number>((p) => p.x).center(longest(), at), false);
    },
    ...rowReadoutKeys(showCursor, () => [cursor, longest().length]),
    // Focus shows the latest step.
    focus: () => showCursor(longest().length - 1, true),
    hide,
  });
  function flush(): void {
    if (frame.destroyed || !pending) return;
    pending.cancel();
    pending = null;
    draw();
  }

  draw();

  return {
    ...chartMethods(frame, state, () => undefined, draw),
    update(data) {
      if (frame.destroyed) return;
      if (!data || !Array.isArray(data.series))
        throw new Error('streamingChart.update: expected { series: { name, points }[] }');
      buffers.clear();
      legend.key = '';
      linesG.selectAll('path').remove();
      add(
        data.series.flatMap((s) =>
          (s.points ?? []).map((p) => ({ series: s.name, x: p.x, y: p.y })),
        ),
      );
      schedule();
    },
    append(points) {
      if (frame.destroyed) return;
      add(points);
      schedule();
    },
    flush,
    destroy() {
      pending?.cancel();
      pending = null;
      frame.destroy();
    },
    toSvg() {
      flush();
      return frame.exportSvg();
    },
    data: snapshot,
  };
}

/** "Loss, 2 series: aligned 812 points, last 0.123 at x 800; …". */
function summarize(data: StreamingData, what: string, seen: number[]): string {
  const parts = data.series.map((s, i) => {
    const last = s.points[s.points.length - 1];
    return `${s.name} ${seen[i]} points${last ? `, last ${formatShort(last.y)} at x ${formatShort(last.x)}` : ''}`;
  });
  return `${what}, ${data.series.length} series${parts.length ? `: ${parts.join('; ')}` : ''}`;
}
