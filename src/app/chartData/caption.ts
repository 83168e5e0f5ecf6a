// Figure captions that say what a chart shows: the quantity, the model, the dataset, N, the
// pooling (the issue asks for these on every chart, and exports will carry them).
import type { AnalysisResult, ExitResult, Pooling } from '../../engine/apiTypes';
import { resultModelName, type ModelTitles } from '../state/modelNames';

const POOLING_TEXT: Record<Pooling, string> = {
  cls: 'class-token pooling',
  mean: 'mean pooling',
  tokens: 'every token a row',
};

const count = (n: number) => n.toLocaleString('en-US');

/**
 * "N = 1,000", or "N = 1,000 (17,000 token rows)" when every token is a row, or "N = 1,000
 * (13,443 of 120,000 token rows: the memory cap)" when the capture kept only the first rows.
 */
function rowsText(result: AnalysisResult): string {
  const r = result.request;
  if (r.pooling !== 'tokens') return `N = ${count(result.n)}`;
  const t = result.tokenRows;
  if (t && t.kept < t.total)
    return `N = ${count(r.samples)} (${count(result.n)} of ${count(t.total)} token rows: the memory cap)`;
  return `N = ${count(r.samples)} (${count(result.n)} token rows)`;
}

/** "Cosine similarity · mnist-aligned · mnist test, N = 1,000 · class-token pooling". */
export function analysisCaption(
  what: string,
  result: AnalysisResult | null,
  models: ModelTitles,
): string {
  if (!result) return `${what} (computing…)`;
  const r = result.request;
  return `${what} · ${resultModelName(models, result)} · ${r.dataset} test, ${rowsText(result)} · ${POOLING_TEXT[r.pooling]}`;
}

/** A caption for a chart comparing several results (A/B): the models named, shared settings once. */
export function comparisonCaption(
  what: string,
  results: readonly (AnalysisResult | null)[],
  models: ModelTitles,
): string {
  const done = results.filter((r): r is AnalysisResult => r !== null);
  if (done.length === 0) return `${what} (computing…)`;
  const r = done[0].request;
  const names = [...new Set(done.map((d) => resultModelName(models, d)))].join(' vs ');
  return `${what} · ${names} · ${r.dataset} test, ${rowsText(done[0])} · ${POOLING_TEXT[r.pooling]}`;
}

/** "Early exit, confidence rule · mnist-aligned vs mnist-multihead · mnist test, N = 1,000". */
export function exitCaption(
  what: string,
  results: readonly (ExitResult | null)[],
  models: ModelTitles,
): string {
  const done = results.filter((r): r is ExitResult => r !== null);
  if (done.length === 0) return `${what} (computing…)`;
  const r = done[0].request;
  const names = done.map((d) => resultModelName(models, d)).join(' vs ');
  return `${what}, ${r.rule} rule · ${names} · ${r.dataset} test, N = ${count(done[0].tradeoff.samples)}`;
}
