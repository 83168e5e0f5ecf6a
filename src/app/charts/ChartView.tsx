import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { BaseChartOptions, Chart } from '../../charts/chart';
import { errorMessage } from '../effects/watch';
import { registerExportSource } from '../share/chartRegistry';
import type { ExportSubject } from '../share/exportContext';
import { ExportMenu } from '../share/ExportMenu';
import { chartExportSource, type ExportSource } from '../share/exportSource';
import { staleCaption } from '../state/currency';
import { useStrata } from '../store';

export interface ChartViewProps<D, O extends BaseChartOptions, C extends Chart<D>> {
  /** A chart factory from src/charts, e.g. createHeatmap. */
  create: (container: HTMLElement, options: O) => C;
  /** Options; a change other than the caption re-creates the chart, a caption change re-labels it. */
  options: O;
  /** What to draw; null keeps what is drawn (or nothing yet). */
  data: D | null;
  /** Receives the chart once created (and null when destroyed), e.g. to append streamed points. */
  onChart?: (chart: C | null) => void;
  className?: string;
  /**
   * Shown in place of the chart until the first data arrives (default "Computing…"); false
   * mounts the chart at once (a streaming chart fed through `onChart`).
   */
  placeholder?: string | false;
  /** For a chart of an activation file: its exports are named after the file. */
  exportSubject?: ExportSubject;
  /**
   * Set while the results behind the chart are of a selection the user has left (state/currency.ts
   * says what for): the chart keeps its last current picture, dimmed, ignores `data` until this
   * clears, its caption says what it is updating for, and it is not exported.
   */
  stale?: string | null;
}

/** Options as a stable key, leaving out the caption (that one is only re-labelled). */
function optionsKey(options: BaseChartOptions): string {
  return JSON.stringify({ ...options, caption: undefined });
}

/**
 * Hosts a Strata chart in React (src/charts/chart.ts): creates it on mount, updates it when `data`
 * changes, resizes it to the container's width, destroys it on unmount. The chart draws its own
 * `<figure>` and `<figcaption>`; errors it throws go to the page's alert region. Once mounted, an
 * export menu sits under the figure, and the chart is listed for the report.
 */
export function ChartView<D, O extends BaseChartOptions, C extends Chart<D>>(
  props: ChartViewProps<D, O, C>,
) {
  const { placeholder = 'Computing…', data, options, className, stale = null } = props;
  // Once current data has come, the chart stays mounted: later nulls keep the last picture.
  const [hadData, setHadData] = useState(data !== null && !stale);
  if (!hadData && data !== null && !stale) setHadData(true);
  if (!hadData && placeholder !== false) {
    return (
      <div className={hostClass(className, stale)} data-stale={stale ? 'true' : undefined}>
        <figure className="chart-placeholder">
          <div className="chart-placeholder-body" aria-hidden="true">
            {placeholder}
          </div>
          <figcaption className="strata-chart-caption">
            {staleCaption(options.caption, stale)}
          </figcaption>
        </figure>
      </div>
    );
  }
  return <MountedChart {...props} />;
}

function hostClass(className: string | undefined, stale: string | null): string {
  const base = className ?? 'chart-host';
  return stale ? `${base} chart-stale` : base;
}

/** The chart itself, mounted for good. */
function MountedChart<D, O extends BaseChartOptions, C extends Chart<D>>({
  create,
  options: asked,
  data,
  onChart,
  className,
  exportSubject,
  stale = null,
}: ChartViewProps<D, O, C>) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<C | null>(null);
  const drawn = useRef<D | null>(null);
  const exportSource = useRef<ExportSource | null>(null);
  const getExportSource = useCallback(() => exportSource.current, []);
  // The options of the picture on show: while stale, those of the last current one, so that
  // options computed from mixed results neither re-create nor re-label the chart.
  const [current, setCurrent] = useState(asked);
  const changed = current.caption !== asked.caption || optionsKey(current) !== optionsKey(asked);
  if (!stale && changed) setCurrent(asked);
  const options = stale ? current : asked;
  const caption = staleCaption(options.caption, stale);
  const latest = useRef({ options, data, onChart, exportSubject, stale, caption });
  useLayoutEffect(() => {
    latest.current = { options, data, onChart, exportSubject, stale, caption };
  });
  const key = optionsKey(options);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const { options: opts, onChart: notify } = latest.current;
    const created = { ...opts, caption: latest.current.caption };
    const report = (e: unknown) =>
      useStrata.getState().addAlert('error', `Chart "${opts.caption}": ${errorMessage(e)}`);
    let chart: C | null = null;
    let unregister = () => {};
    let lastWidth = 0;
    // Created at the width the ResizeObserver reports (reading clientWidth here would force a
    // synchronous layout of the page in the middle of a React commit).
    const mount = (width: number) => {
      try {
        chart = create(el, width > 0 ? { ...created, width } : created);
      } catch (e) {
        report(e);
        return;
      }
      chartRef.current = chart;
      exportSource.current = chartExportSource(
        chart,
        el,
        () => latest.current.exportSubject,
        () => latest.current.stale,
      );
      unregister = registerExportSource(exportSource.current);
      drawn.current = null;
      const first = latest.current.stale ? null : latest.current.data;
      if (first) {
        try {
          chart.update(first);
          drawn.current = first;
        } catch (e) {
          report(e);
        }
      }
      notify?.(chart);
    };
    // Drawing inside the observer's callback changes sizes the observer watches, which Chromium
    // reports as a window error ("ResizeObserver loop completed with undelivered notifications"):
    // the chart is drawn in the next frame instead, once for all the sizes reported until then.
    let frame = 0;
    let reported = 0;
    const draw = () => {
      frame = 0;
      const w = reported;
      if (!chart) mount(w);
      else if (w > 0 && w !== lastWidth) chart.resize(w, latest.current.options.height);
      if (w > 0) lastWidth = w;
    };
    const observer =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            reported = Math.floor(entries[0]?.contentRect.width ?? 0);
            if (!frame) frame = requestAnimationFrame(draw);
          });
    if (observer) observer.observe(el);
    else mount(0);
    return () => {
      observer?.disconnect();
      if (frame) cancelAnimationFrame(frame);
      if (!chart) return;
      unregister();
      exportSource.current = null;
      latest.current.onChart?.(null);
      chart.destroy();
      chartRef.current = null;
    };
    // `key` stands for the options other than the caption.
  }, [create, key]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart || !data || stale || drawn.current === data) return;
    try {
      chart.update(data);
      drawn.current = data;
    } catch (e) {
      useStrata
        .getState()
        .addAlert('error', `Chart "${latest.current.options.caption}": ${errorMessage(e)}`);
    }
  }, [data, stale]);

  useEffect(() => {
    chartRef.current?.setCaption(caption);
  }, [caption]);

  return (
    <div className={hostClass(className, stale)} data-stale={stale ? 'true' : undefined}>
      <div ref={ref} className="chart-mount" />
      <ExportMenu source={getExportSource} caption={caption} stale={stale} />
    </div>
  );
}
