// Chart data of the A/B view's across heatmap: rows are A's layers, columns B's.
import type { HeatmapData } from '../../charts/heatmap';
import type { CrossAnalysisResult, MetricAgreement, SimilarityMetric } from '../../engine/apiTypes';

/** A's layers (rows) × B's layers (columns) of `metric`, or null when the result lacks it. */
export function acrossHeatmap(
  result: CrossAnalysisResult | null,
  metric: SimilarityMetric,
): HeatmapData | null {
  const values = result?.metrics[metric];
  if (!result || !values) return null;
  return {
    rowLabels: result.layers.map((l) => `A ${l}`),
    colLabels: result.versusLayers.map((l) => `B ${l}`),
    values,
  };
}

/** Depths are equal: the cells (l, l) compare the same depth of A and of B. */
export function sameDepths(result: CrossAnalysisResult | null): boolean {
  return result !== null && result.layers.length === result.versusLayers.length;
}

/** Each measure's agreement with cosine, in the order computed: [measure, agreement]. */
export function agreementsWithCosine(
  agreement: Record<string, MetricAgreement> | undefined,
): [SimilarityMetric, MetricAgreement][] {
  return Object.entries(agreement ?? {}).flatMap(([key, a]) =>
    key.startsWith('cosine~') ? [[key.slice('cosine~'.length) as SimilarityMetric, a]] : [],
  );
}
