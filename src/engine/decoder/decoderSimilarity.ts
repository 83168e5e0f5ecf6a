// Layer similarity of a decoder language model: its pooled hidden states through the same
// measures (and the same report) as an encoder's.
import { memoryLayerRows } from '../metrics/layerRows';
import type { SimilarityMetric } from '../metrics/types';
import { analyzeLayerRows, type AnalyzeOptions, type SimilarityReport } from '../pipeline/analyze';
import { decoderLayerRows, type DecoderRows, type DecoderRowsOptions } from './decoderLayerRows';
import type { DecoderInput } from './decoderInput';
import type { DecoderParams } from './decoderWeights';

/** What a report says of its rows besides the matrices: how they were pooled and drawn. */
export interface DecoderRowFacts {
  pooling: DecoderRows['pooling'];
  rows: number;
  realTokens: number;
  /** `tokens` only: the cap and the seed of the draw (used when realTokens > maxRows). */
  maxRows?: number;
  seed?: number;
}

export function decoderRowFacts(rows: DecoderRows): DecoderRowFacts {
  const { pooling, rows: count, realTokens, maxRows, seed } = rows;
  return pooling === 'tokens'
    ? { pooling, rows: count, realTokens, maxRows, seed }
    : { pooling, rows: count, realTokens };
}

/**
 * The similarity matrices over a decoder's hidden states h_0 … h_L (all applicable measures when
 * `metrics` is absent), each layer pooled as `rowsOptions.pooling` says (decoderLayerRows), and the
 * facts of its rows. The model is the caller's to free.
 */
export async function decoderSimilarity(
  params: DecoderParams,
  input: DecoderInput,
  metrics: readonly SimilarityMetric[] | undefined,
  rowsOptions: DecoderRowsOptions,
  analyzeOptions: AnalyzeOptions = {},
): Promise<{ report: SimilarityReport; facts: DecoderRowFacts }> {
  const rows = await decoderLayerRows(params, input, {
    signal: analyzeOptions.signal,
    ...rowsOptions,
  });
  const report = await analyzeLayerRows(memoryLayerRows(rows.layers), metrics, analyzeOptions);
  return { report, facts: decoderRowFacts(rows) };
}
