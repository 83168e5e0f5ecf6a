// Plain chart data from analysis results: heatmaps, A − B differences, cosine with the last layer.
import type { HeatmapData } from '../../charts/heatmap';
import type { LineChartData } from '../../charts/lineChart';
import type { AnalysisResult, MetricAgreement, SimilarityMetric } from '../../engine/apiTypes';
import { CKA_METRIC_LABELS, type CkaMetric, type DifferenceRange } from '../state/config';

/** A checkpoint's result with the name it goes by in legends ("A: mnist-standard"). */
export interface NamedResult {
  name: string;
  result: AnalysisResult;
}

export function metricLabel(metric: SimilarityMetric): string {
  return metric === 'cosine' ? 'Cosine similarity' : CKA_METRIC_LABELS[metric as CkaMetric];
}

/** The layer × layer matrix of `metric`, or null when the result lacks it. */
export function similarityHeatmap(
  result: AnalysisResult | null,
  metric: SimilarityMetric,
): HeatmapData | null {
  const values = result?.metrics[metric];
  if (!result || !values) return null;
  const notes = undefinedNotes(result, metric);
  const data: HeatmapData = { rowLabels: result.layers, colLabels: result.layers, values };
  return notes.some((n) => n !== null) ? { ...data, rowNotes: notes, colNotes: notes } : data;
}

const NULL_ENTRIES = '; its entries are null';

/**
 * Per layer, why its entries of `metric` are undefined, from the engine's note on that layer
 * ("embeddings: constant (…), so its centred Gram matrix is zero and CKA is 0/0"); null where
 * its entries are defined.
 */
export function undefinedNotes(
  result: Pick<AnalysisResult, 'layers' | 'notes'>,
  metric: SimilarityMetric,
): (string | null)[] {
  const notes = (result.notes[metric] ?? []).filter((n) => n.endsWith(NULL_ENTRIES));
  return result.layers.map((name) => {
    const note = notes.find((n) => n.startsWith(`${name}: `));
    return note ? note.slice(0, -NULL_ENTRIES.length) : null;
  });
}

/**
 * The settings a CKA picture was computed with, for its caption: " · minibatches of 256 rows",
 * " · σ = 0.5 × median distance"; "" for the variants that have none.
 */
export function ckaSettingsCaption(
  result: AnalysisResult | null,
  metric: SimilarityMetric,
): string {
  if (!result) return '';
  if (metric === 'cka-minibatch') return ` · minibatches of ${result.request.batchSize} rows`;
  if (metric === 'cka-rbf') return ` · σ = ${result.request.rbfT} × median distance`;
  return '';
}

/** " · hatched cells are undefined: <why>" for a caption, or "" when every cell is defined. */
export function undefinedCaption(data: HeatmapData | null): string {
  const why = [...new Set([...(data?.rowNotes ?? []), ...(data?.colNotes ?? [])])].filter(Boolean);
  return why.length > 0 ? ` · hatched cells are undefined: ${why.join('; ')}` : '';
}

/** Colour extents a difference map can take: the smallest that holds every |A − B|. */
const DIFFERENCE_EXTENTS = [0.05, 0.1, 0.25, 0.5, 1, 2];

/**
 * A − B entry by entry (null where either is undefined) and the colour extent d: with `fixed`,
 * ±1 whatever the data (a map compares with the one before it); with `fitted`, the smallest of a
 * short ladder that holds every |A − B|, so that small differences read. Null when the two grids
 * have different layers.
 */
export function differenceHeatmap(
  a: HeatmapData | null,
  b: HeatmapData | null,
  range: DifferenceRange = 'fitted',
): { data: HeatmapData; extent: number } | null {
  if (!a || !b) return null;
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  if (!same(a.rowLabels, b.rowLabels) || !same(a.colLabels, b.colLabels)) return null;
  let maxAbs = 0;
  const values = a.values.map((row, r) =>
    row.map((v, c) => {
      const w = b.values[r][c];
      if (v === null || w === null || !Number.isFinite(v) || !Number.isFinite(w)) return null;
      maxAbs = Math.max(maxAbs, Math.abs(v - w));
      return v - w;
    }),
  );
  const fitted = DIFFERENCE_EXTENTS.find((d) => maxAbs <= d) ?? Math.ceil(maxAbs);
  const extent = range === 'fitted' ? fitted : FIXED_DIFFERENCE_EXTENT;
  return { data: { rowLabels: a.rowLabels, colLabels: a.colLabels, values }, extent };
}

/** The difference map's colour range unless the user fits it to the data: ±1, whatever A and B. */
export const FIXED_DIFFERENCE_EXTENT = 1;

/**
 * Each layer's similarity with the last hidden layer under `metric` (paper, figure 1, with
 * cosine), one series per checkpoint; a checkpoint without that metric is left out.
 */
export function lastLayerSimilarity(
  entries: readonly NamedResult[],
  metric: SimilarityMetric = 'cosine',
): LineChartData | null {
  const usable = entries.filter((e) => e.result.metrics[metric]);
  if (usable.length === 0) return null;
  const xLabels = usable[0].result.layers;
  const series = usable
    .filter((e) => e.result.layers.length === xLabels.length)
    .map((e) => {
      const m = e.result.metrics[metric]!;
      const last = m.length - 1;
      return { name: e.name, values: m.map((row) => row[last]) };
    });
  return { xLabels, series };
}

/** The y range of that line: [0, 1] for CKA variants that cannot go negative, [−1, 1] else. */
export function lastLayerDomain(metric: SimilarityMetric): [number, number] {
  return metric === 'cka' || metric === 'cka-rbf' ? [0, 1] : [-1, 1];
}

/** The agreement of cosine with the chosen CKA (claim 1), when the result has it. */
export function agreementOf(
  result: AnalysisResult | null,
  metric: CkaMetric,
): MetricAgreement | null {
  return result?.agreement[`cosine~${metric}`] ?? null;
}

/** The CKA variant a result was computed with (its request's metric other than cosine). */
export function ckaOf(result: AnalysisResult | null): CkaMetric | null {
  const m = result?.request.metrics.find((x) => x !== 'cosine');
  return (m as CkaMetric | undefined) ?? null;
}
