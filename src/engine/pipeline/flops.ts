import { numPositions, type ModelConfig } from '../model/config';

/**
 * Multiply–adds ×2 of one transformer block on one sample of T tokens (width D, MLP width M):
 * q, k, v, output projections 4·T·D², scores and weighted sum 2·T²·D, MLP 2·T·D·M; norms and
 * softmax are ignored (lower order). For text, T is the full padded length.
 */
export function blockFlops(config: ModelConfig): number {
  const T = numPositions(config);
  const D = config.hiddenSize;
  const M = config.mlpSize;
  return 2 * (4 * T * D * D + 2 * T * T * D + 2 * T * D * M);
}

/** FLOPs of one exit head on one sample: LayerNorm (≈ 5·D) plus the linear classifier 2·D·C. */
export function headFlops(config: ModelConfig): number {
  return 5 * config.hiddenSize + 2 * config.hiddenSize * config.numClasses;
}
