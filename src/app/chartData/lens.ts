// Plain chart data for the Logit lens panel: per-layer next-token accuracy, and one of loss, KL
// to the final layer, or the final top-1 token's rank.
import type { LineChartData } from '../../charts/lineData';
import type { LensResult } from '../../engine/apiTypes';

export type LensMeasure = 'loss' | 'kl' | 'rank';

export const LENS_MEASURES: readonly { value: LensMeasure; label: string; title: string }[] = [
  { value: 'loss', label: 'Cross-entropy loss', title: 'next-token loss (nats)' },
  { value: 'kl', label: 'KL to the final layer', title: 'KL(final ‖ layer) (nats)' },
  { value: 'rank', label: 'Rank of the final top-1 token', title: 'mean rank of the final top-1' },
];

const count = (n: number) => n.toLocaleString('en-US');

/** x labels: layer_0 is the embeddings, layer_L the model's own output. */
const layerLabels = (lens: LensResult) => lens.layers.map((l) => `layer_${l}`);

/** A second model's run drawn beside the first: a series each, named by model. */
export interface LensComparison {
  model: string;
  compare: { model: string; lens: LensResult };
}

/** One series, or one per model when the run has a comparison with the same layers. */
function lensSeries(
  lens: LensResult,
  name: string,
  values: (l: LensResult) => number[],
  with2?: LensComparison,
): LineChartData['series'] {
  if (!with2 || with2.compare.lens.layers.length !== lens.layers.length)
    return [{ name, values: values(lens) }];
  return [
    { name: with2.model, values: values(lens) },
    { name: with2.compare.model, values: values(with2.compare.lens) },
  ];
}

/** Next-token top-1 accuracy per layer. */
export function lensAccuracyChart(
  lens: LensResult | null,
  compare?: LensComparison,
): LineChartData | null {
  if (!lens) return null;
  return {
    xLabels: layerLabels(lens),
    series: lensSeries(lens, 'next-token accuracy', (l) => [...l.accuracy], compare),
  };
}

/** One of the other per-layer measures. */
export function lensMeasureChart(
  lens: LensResult | null,
  measure: LensMeasure,
  compare?: LensComparison,
): LineChartData | null {
  if (!lens) return null;
  const { title } = LENS_MEASURES.find((m) => m.value === measure)!;
  return {
    xLabels: layerLabels(lens),
    series: lensSeries(lens, title, (l) => [...l[measure]], compare),
  };
}

/** "Logit lens: next-token accuracy · gpt2-a · texts.txt · 1,234 tokens". */
export function lensCaption(
  what: string,
  run: {
    model: string;
    textSource: string;
    response: { lens: LensResult };
    compare?: { model: string };
  } | null,
): string {
  if (!run) return `Logit lens: ${what} (not run yet)`;
  const models = run.compare ? `${run.model} vs ${run.compare.model}` : run.model;
  return `Logit lens: ${what} · ${models} · ${run.textSource} · ${count(run.response.lens.tokens)} tokens`;
}
