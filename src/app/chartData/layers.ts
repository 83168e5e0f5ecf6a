// Plain chart data for the per-layer views: accuracy and loss of the shared classifier, the
// saturation histogram, accuracy during fine-tuning.
import type { HistogramData } from '../../charts/histogram';
import type { LineChartData, LineSeries } from '../../charts/lineChart';
import type { AnalysisResult, EvalLog } from '../../engine/apiTypes';
import type { NamedResult } from './similarity';

function sameLayers(entries: readonly NamedResult[]): NamedResult[] {
  const n = entries[0]?.result.layers.length;
  return entries.filter((e) => e.result.layers.length === n);
}

/** Entries with measured accuracy (none when the model's head reads other classes). */
export function withAccuracy(entries: readonly NamedResult[]): NamedResult[] {
  return entries.filter((e) => e.result.accuracy.length > 0);
}

/**
 * Accuracy of the shared classifier at every layer 0..L, one series per checkpoint with its
 * minimal depth marked; a multi-head model adds its per-layer heads as a dashed series.
 */
export function accuracyChart(entries: readonly NamedResult[]): LineChartData | null {
  const usable = sameLayers(withAccuracy(entries));
  if (usable.length === 0) return null;
  const series: LineSeries[] = [];
  usable.forEach(({ name, result }) => {
    series.push({
      name: result.headAccuracy ? `${name} (shared head)` : name,
      values: result.accuracy,
      marker: {
        index: result.minimalDepth,
        label: `${name}: minimal depth ${result.layers[result.minimalDepth] ?? result.minimalDepth}`,
      },
    });
    if (result.headAccuracy) {
      // headAccuracy[0] is layer 1; layer 0 has no head of its own.
      series.push({
        name: `${name} (per-layer heads)`,
        values: [null, ...result.headAccuracy],
        dashed: true,
      });
    }
  });
  return { xLabels: usable[0].result.layers, series };
}

/** Mean cross-entropy of the shared classifier at every layer, one series per checkpoint. */
export function lossChart(entries: readonly NamedResult[]): LineChartData | null {
  const usable = sameLayers(withAccuracy(entries));
  if (usable.length === 0) return null;
  return {
    xLabels: usable[0].result.layers,
    series: usable.map(({ name, result }) => ({ name, values: result.loss })),
  };
}

/** How many samples settle (top-1 never changes again) at each layer, per checkpoint. */
export function saturationChart(entries: readonly NamedResult[]): HistogramData | null {
  const usable = sameLayers(entries);
  if (usable.length === 0) return null;
  return {
    labels: usable[0].result.layers,
    series: usable.map(({ name, result }) => ({ name, counts: result.saturationHistogram })),
  };
}

/**
 * Per-layer test accuracy while fine-tuning (layers 1..L): the base model's, the first
 * evaluation's and the latest one's.
 */
export function trainingAccuracyChart(
  base: AnalysisResult | null,
  baseName: string,
  evals: readonly EvalLog[],
): LineChartData | null {
  const latest = evals[evals.length - 1];
  const L = latest?.accuracy.length ?? (base ? base.accuracy.length - 1 : 0);
  if (L === 0) return null;
  const xLabels =
    base?.layers.length === L + 1
      ? base.layers.slice(1)
      : Array.from({ length: L }, (_, i) => `layer_${i + 1}`);
  const series: LineSeries[] = [];
  if (base && base.accuracy.length === L + 1)
    series.push({ name: `${baseName} (before)`, values: base.accuracy.slice(1), dashed: true });
  if (latest) series.push({ name: `step ${latest.step}`, values: latest.accuracy });
  return { xLabels, series };
}
