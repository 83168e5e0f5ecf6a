// Anything on the page that can be exported: a mounted d3 chart (through ChartView) or a figure
// the app draws itself (the class-means small multiples). The export menu and the report rely
// only on this.
import type { Chart } from '../../charts/chart';
import {
  heatmapToCsv,
  histogramToCsv,
  lineChartToCsv,
  streamingToCsv,
  tradeoffToCsv,
} from '../../charts/exportData';
import type { HeatmapData } from '../../charts/heatmap';
import type { HistogramData } from '../../charts/histogram';
import type { LineChartData } from '../../charts/lineChart';
import type { StreamingData } from '../../charts/streamingChart';
import type { TradeoffData } from '../../charts/tradeoffChart';
import type { ExportSubject } from './exportContext';

export interface ExportSource {
  /** The chart's kind, e.g. "heatmap" (from its figure's `strata-<kind>` class). */
  readonly kind: string;
  /** The figure on the page (its position orders the report). */
  element(): Element | null;
  /** What the figure shows, as on the page. */
  caption(): string;
  /** A self-contained SVG document with the caption drawn under the chart. */
  toSvg(): string;
  /** The plain data drawn. */
  data(): unknown;
  /** The data drawn, one row per cell or point, with a header. */
  csv(): string;
  /** Set for a chart of an activation file: exports are named after the file, not the model. */
  subject?(): ExportSubject | undefined;
  /** Why the figure is out of date (state/currency.ts), or null while it is current. */
  stale?(): string | null;
}

const CSV_BY_KIND: Record<string, (data: never) => string> = {
  heatmap: (d: HeatmapData) => heatmapToCsv(d),
  'line-chart': (d: LineChartData) => lineChartToCsv(d),
  histogram: (d: HistogramData) => histogramToCsv(d),
  'streaming-chart': (d: StreamingData) => streamingToCsv(d),
  'tradeoff-chart': (d: TradeoffData) => tradeoffToCsv(d),
};

/** The kind named by a chart figure's class (`strata-chart strata-heatmap` → "heatmap"). */
export function chartKindOf(figure: Element | null): string {
  const cls = Array.from(figure?.classList ?? []).find(
    (c) => c.startsWith('strata-') && c !== 'strata-chart',
  );
  return cls ? cls.slice('strata-'.length) : 'chart';
}

/**
 * An export source for a chart mounted in `host` (the element its figure was appended to). Its
 * CSV throws, naming the kind, for a chart kind without a CSV writer.
 */
export function chartExportSource<D>(
  chart: Chart<D>,
  host: HTMLElement,
  subject?: () => ExportSubject | undefined,
  stale?: () => string | null,
): ExportSource {
  const figure = () => host.querySelector(':scope > figure');
  const kind = chartKindOf(figure());
  return {
    kind,
    element: figure,
    caption: () => figure()?.querySelector('figcaption')?.textContent ?? '',
    toSvg: () => chart.toSvg(),
    data: () => chart.data(),
    subject,
    stale,
    csv() {
      const write = CSV_BY_KIND[kind];
      if (!write) throw new Error(`CSV export: no CSV writer for charts of kind "${kind}"`);
      return write(chart.data() as never);
    },
  };
}
