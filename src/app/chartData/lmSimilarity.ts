// Plain chart data for a language model's layer similarity: the engine's decoderSimilarity
// matrices as heatmaps over h_0 (the embeddings) … h_L, A × B across two models, and captions that
// say which rows were compared.
import type { HeatmapData } from '../../charts/heatmap';
import type { SimilarityMetric } from '../../engine/apiTypes';
import type { DecoderPooling } from '../../engine/decoder/decoderPooling';
import type { DecoderRowFacts } from '../../engine/decoder/decoderSimilarity';
import type { SimilarityReport } from '../../engine/pipeline/analyze';
import type { CrossSimilarityReport } from '../../engine/pipeline/analyzeAcross';
import { metricLabel, undefinedNotes } from './similarity';

const count = (n: number) => n.toLocaleString('en-US');

/** The measures' settings the page sends with each request, said in captions. */
export const LM_CKA_BATCH_SIZE = 256;
export const LM_RBF_T = 0.5;

export const LM_POOLING_LABELS: Record<DecoderPooling, string> = {
  last: 'last (the last real token of each text)',
  tokens: 'tokens (every real token a row)',
  mean: 'mean over real tokens',
};

type Report = SimilarityReport | CrossSimilarityReport;
const isAcross = (r: Report): r is CrossSimilarityReport => 'versusLayers' in r;

/** The layer × layer matrix of `metric` of one model, or null when the report lacks it. */
export function lmSimilarityHeatmap(
  report: Report | null,
  metric: SimilarityMetric,
): HeatmapData | null {
  const values = report?.metrics[metric];
  if (!report || !values || isAcross(report)) return null;
  const data: HeatmapData = { rowLabels: report.layers, colLabels: report.layers, values };
  const notes = undefinedNotes(report, metric);
  return notes.some((n) => n !== null) ? { ...data, rowNotes: notes, colNotes: notes } : data;
}

/** A's layers (rows) × B's layers (columns) of `metric`, or null when the report lacks it. */
export function lmAcrossHeatmap(
  report: Report | null,
  metric: SimilarityMetric,
): HeatmapData | null {
  const values = report?.metrics[metric];
  if (!report || !values || !isAcross(report)) return null;
  return {
    rowLabels: report.layers.map((l) => `A ${l}`),
    colLabels: report.versusLayers.map((l) => `B ${l}`),
    values,
  };
}

/**
 * The rows every layer was reduced to, in words: "last-token pooling, N = 32 texts", "mean
 * pooling, N = 32 texts", "every real token a row: 1,000 of 2,345 kept (cap 1,000, seed 0)".
 */
export function lmRowsText(facts: DecoderRowFacts): string {
  if (facts.pooling === 'last') return `last-token pooling, N = ${count(facts.rows)} texts`;
  if (facts.pooling === 'mean') return `mean pooling, N = ${count(facts.rows)} texts`;
  const kept =
    facts.rows < facts.realTokens
      ? `${count(facts.rows)} of ${count(facts.realTokens)} kept`
      : `all ${count(facts.rows)} kept`;
  return `every real token a row: ${kept} (cap ${count(facts.maxRows ?? facts.rows)}, seed ${facts.seed ?? 0})`;
}

/** " · minibatches of 256 rows", " · σ = 0.5 × median distance", or "" for other measures. */
export function lmMeasureSettings(metric: SimilarityMetric): string {
  if (metric === 'cka-minibatch') return ` · minibatches of ${LM_CKA_BATCH_SIZE} rows`;
  if (metric === 'cka-rbf') return ` · σ = ${LM_RBF_T} × median distance`;
  return '';
}

/** What a caption needs of a run: the models, the texts and the facts of the rows. */
export interface LmCaptionRun {
  model: string;
  textSource: string;
  facts: DecoderRowFacts;
}

/**
 * "LM similarity: Linear CKA · imdb-lm-aligned · texts.txt · every real token a row: 96 of 120
 * kept (cap 96, seed 0)"; `model` overrides the run's (the comparison model's heatmap).
 */
export function lmSimilarityCaption(
  metric: SimilarityMetric,
  run: LmCaptionRun | null,
  model?: string,
): string {
  const what = `LM similarity: ${metricLabel(metric)}`;
  if (!run) return `${what} (not run yet)`;
  return `${what} · ${model ?? run.model} · ${run.textSource} · ${lmRowsText(run.facts)}${lmMeasureSettings(metric)}`;
}

/** "LM similarity: Cosine similarity across A imdb-lm-aligned × B imdb-lm-standard · …". */
export function lmAcrossCaption(
  metric: SimilarityMetric,
  run: LmCaptionRun | null,
  versus: string | null,
): string {
  const what = `LM similarity: ${metricLabel(metric)} across`;
  if (!run || !versus) return `${what} two models (not run yet)`;
  return `${what} A ${run.model} × B ${versus} · ${run.textSource} · ${lmRowsText(run.facts)}${lmMeasureSettings(metric)}`;
}
