// A decoder's hidden states h_0 … h_L pooled to one row matrix per layer, for the similarity
// measures: batch by batch, only the rows kept leave the device.
import { tf } from '../tf';
import type { Tensor, Tensor2D } from '../tf';
import type { MemoryLayer } from '../metrics/layerRows';
import { chunks } from '../pipeline/inputs';
import { hiddenStateName, tokenRowCap } from '../pipeline/capture';
import { betweenBatches } from '../tasks';
import { decoderForward } from './decoderForward';
import { batchTensors } from './decoderHiddenStates';
import { inputRows, type DecoderInput } from './decoderInput';
import {
  DEFAULT_MAX_TOKEN_ROWS,
  lastRealPositions,
  sampleTokenPositions,
  type DecoderPooling,
} from './decoderPooling';
import type { DecoderParams } from './decoderWeights';

export interface DecoderRowsOptions {
  pooling: DecoderPooling;
  /** `tokens`: rows per layer kept at most (default defaultMaxTokenRows). */
  maxRows?: number;
  /** `tokens`: the seed of the draw when the real tokens outnumber maxRows (default 0). */
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Rows per layer, one name per hidden state, and what a reader needs to know of the rows. */
export interface DecoderRows {
  layers: MemoryLayer[];
  pooling: DecoderPooling;
  /** Rows per layer: samples (`last`, `mean`) or token rows kept (`tokens`). */
  rows: number;
  /** Real tokens of the input (mask 1), all samples together. */
  realTokens: number;
  /** `tokens` only: the cap, the seed, and the flat positions `sample·T + k` read. */
  maxRows?: number;
  seed?: number;
  positions?: Int32Array;
}

/**
 * DEFAULT_MAX_TOKEN_ROWS, or fewer when that many rows of every layer would pass the bytes a
 * `tokens` capture keeps for encoders (TOKEN_ROWS_BYTES: 512 MB).
 */
export function defaultMaxTokenRows(config: { numLayers: number; hiddenSize: number }): number {
  return Math.min(DEFAULT_MAX_TOKEN_ROWS, tokenRowCap(config));
}

/**
 * Per layer l = 0..L (transformers' hidden_states, the last after the final norm) the rows of
 * `pooling` over the real tokens (mask 1): `last` the last real token of each sample, `mean`
 * their mean, `tokens` every real position or a seeded uniform draw of `maxRows` of them, the
 * same positions in every layer. Holds the kept rows only, never [N, T, D] of every layer.
 */
export async function decoderLayerRows(
  params: DecoderParams,
  input: DecoderInput,
  options: DecoderRowsOptions,
): Promise<DecoderRows> {
  const c = params.config;
  const { n, t } = input;
  const d = c.hiddenSize;
  const { pooling } = options;
  let realTokens = 0;
  for (let i = 0; i < n * t; i++) if (input.mask[i] === 1) realTokens++;
  const maxRows = options.maxRows ?? defaultMaxTokenRows(c);
  const seed = options.seed ?? 0;
  const positions =
    pooling === 'tokens'
      ? sampleTokenPositions(input.mask, n, t, maxRows, seed).positions
      : pooling === 'last'
        ? lastRealPositions(input.mask, n, t)
        : null;
  if (pooling === 'mean') lastRealPositions(input.mask, n, t); // refuses a sample without tokens
  const rows = positions ? positions.length : n;
  const data = Array.from({ length: c.numLayers + 1 }, () => new Float32Array(rows * d));
  let next = 0; // the first position not yet read
  for (const [start, end] of chunks(n, options.batchSize ?? 16)) {
    await betweenBatches(options.signal, 'decoder similarity rows');
    const from = next;
    if (positions) while (next < positions.length && positions[next] < end * t) next++;
    const local = positions?.subarray(from, next).map((p) => p - start * t);
    if (local?.length === 0) {
      options.onProgress?.(end, n);
      continue;
    }
    const b = end - start;
    const batch = inputRows(input, start, end);
    const out = tf.tidy((): Tensor => {
      const [ids, mask] = batchTensors(batch);
      const { hidden } = decoderForward(params, ids, mask);
      if (local) {
        const at = tf.tensor1d(local, 'int32');
        return tf.stack(hidden.map((h) => tf.gather(tf.reshape(h, [b * t, d]) as Tensor2D, at)));
      }
      const weights = tf.expandDims(mask, 2); // [B, T, 1]
      const counts = tf.sum(weights, 1); // [B, 1]
      return tf.stack(hidden.map((h) => tf.div(tf.sum(tf.mul(h, weights), 1), counts)));
    });
    // sync point: one readback per batch, the kept rows of every layer.
    const values = (await out.data()) as Float32Array;
    out.dispose();
    const kept = local ? local.length : b;
    const offset = local ? from : start;
    for (let l = 0; l <= c.numLayers; l++)
      data[l].set(values.subarray(l * kept * d, (l + 1) * kept * d), offset * d);
    options.onProgress?.(end, n);
  }
  const layers = data.map((values, l) => ({ name: hiddenStateName(l), n: rows, d, data: values }));
  const result: DecoderRows = { layers, pooling, rows, realTokens };
  if (pooling === 'tokens') Object.assign(result, { maxRows, seed, positions: positions! });
  return result;
}
