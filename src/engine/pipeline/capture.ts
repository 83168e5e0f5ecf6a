import { tf } from '../tf';
import type { Tensor } from '../tf';
import type { Dataset, DataSplit } from '../data/types';
import { betweenBatches } from '../tasks';
import { forward, type CapturePooling } from '../model/forward';
import { exitLogits } from '../train/losses';
import type { LayerActivations } from './analyze';
import { hasPerLayerHeads, type LoadedModel } from './evaluate';
import { chunks, forwardBatchSize, inputBatch, inputTensors } from './inputs';

/** The name of hidden state h_l: `embeddings` for h_0, `layer_l` after block l. */
export function hiddenStateName(l: number): string {
  return l === 0 ? 'embeddings' : `layer_${l}`;
}

/** Every layer's pooled activations for a set of rows, and the shared classifier's logits there. */
export interface CapturedLayers {
  layers: LayerActivations[];
  /** logits[l]: the shared head g on layer l = 0..L, row-major [N, C] (N counts samples, not tokens). */
  logits: Float32Array[];
  /**
   * Multi-head models only, indexed by layer like `logits`: headLogits[l] is the multi-exit
   * classifier at layer l = 1..L — g_l below the last layer, the model's own head g at L
   * (exitLogits in losses.ts; the L-th per-layer head is never trained). No head reads the
   * embeddings, so headLogits[0] is null.
   */
  headLogits?: [null, ...Float32Array[]];
  labels: Int32Array;
  numClasses: number;
  /**
   * `tokens` pooling only: the (sample, token) rows kept per layer, the real ones seen, and the
   * cap. Rows are kept in sample order until the cap, so `kept < total` means the layers hold
   * the tokens of the first samples only (the samples themselves are a seeded random draw).
   */
  tokenRows?: { kept: number; total: number; cap: number };
}

/** Bytes a `tokens` capture keeps over all its layers: bounded whatever N and T are. */
export const TOKEN_ROWS_BYTES = 512 * 2 ** 20;

/** The most token rows per layer a capture of this model keeps (TOKEN_ROWS_BYTES in float32). */
export function tokenRowCap(config: { numLayers: number; hiddenSize: number }): number {
  return Math.max(
    1,
    Math.floor(TOKEN_ROWS_BYTES / ((config.numLayers + 1) * config.hiddenSize * 4)),
  );
}

export interface CaptureOptions {
  pooling?: CapturePooling;
  finalNormInHead?: boolean;
  batchSize?: number;
  onProgress?(done: number, total: number): void;
  /** Stops the capture between batches with a TaskAbortedError (tasks.ts). */
  signal?: AbortSignal;
  /** `tokens` pooling: rows per layer kept at most (default tokenRowCap). */
  maxTokenRows?: number;
}

/**
 * Runs rows `indices` through the model in batches and keeps each layer's pooled state h_l
 * (docs/design.md §3 pooling: cls, mean, or tokens — padding rows dropped) and the logits of the
 * shared classifier (computed on cls/mean pooling; for `tokens`, on the model's own pooling).
 */
export async function captureLayers(
  model: LoadedModel,
  dataset: Pick<Dataset, 'kind' | 'inputShape' | 'feed'>,
  split: DataSplit,
  indices: Int32Array,
  options: CaptureOptions = {},
): Promise<CapturedLayers> {
  const { config, params } = model;
  const pooling = options.pooling ?? config.pooling;
  const headPooling = pooling === 'tokens' ? config.pooling : pooling;
  const batchSize = options.batchSize ?? forwardBatchSize(config, 128);
  const L = config.numLayers;
  const C = config.numClasses;
  const D = config.hiddenSize;
  const n = indices.length;
  const rows: Float32Array[][] = Array.from({ length: L + 1 }, () => []);
  const logits = Array.from({ length: L + 1 }, () => new Float32Array(n * C));
  const perLayer = hasPerLayerHeads(config)
    ? Array.from({ length: L }, () => new Float32Array(n * C))
    : undefined;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = split.y[indices[i]];
  const cap = pooling === 'tokens' ? (options.maxTokenRows ?? tokenRowCap(config)) : Infinity;
  let kept = 0;
  let total = 0;

  for (const [start, end] of chunks(n, batchSize)) {
    await betweenBatches(options.signal, 'layer capture');
    // [states [L+1, rows, D], logits [L+1, B, C], exit heads at 1..L [L, B, C]?, mask [B·T]?]
    const out: Tensor[] = tf.tidy(() => {
      const input = inputBatch(dataset, split, indices.subarray(start, end));
      const capture = forward(params, config, input, {
        pooling: headPooling,
        finalNormInHead: options.finalNormInHead,
      });
      const states =
        pooling === 'tokens' ? capture.hidden.map((h) => tf.reshape(h, [-1, D])) : capture.pooled; // [B·T, D] or [B, D]
      inputTensors(input).forEach((t) => t.dispose());
      return [
        tf.stack(states),
        tf.stack(capture.logits),
        perLayer ? tf.stack(exitLogits(capture, 'multihead')) : tf.zeros([0]),
        pooling === 'tokens' && capture.tokenMask
          ? tf.reshape(capture.tokenMask, [-1])
          : tf.zeros([0]),
      ];
    });
    // sync point: one readback per capture batch.
    const [states, z, heads, mask] = (await Promise.all(
      out.map((t) => t.data()),
    )) as Float32Array[];
    const stateRows = out[0].shape[1]!;
    tf.dispose(out);
    const b = end - start;
    const room = cap - kept;
    let real = 0;
    for (let l = 0; l <= L; l++) {
      const block = states.subarray(l * stateRows * D, (l + 1) * stateRows * D);
      const layerRows = mask.length ? keepRows(block, mask, D) : block;
      real = layerRows.length / D;
      if (room > 0) rows[l].push(layerRows.slice(0, Math.min(room, real) * D));
      logits[l].set(z.subarray(l * b * C, (l + 1) * b * C), start * C);
      if (perLayer && l < L) perLayer[l].set(heads.subarray(l * b * C, (l + 1) * b * C), start * C);
    }
    total += real;
    kept += Math.max(0, Math.min(room, real));
    options.onProgress?.(end, n);
  }
  const layers = rows.map((parts, l) => {
    const data = concat(parts);
    return { name: hiddenStateName(l), n: data.length / D, d: D, data };
  });
  const headLogits = perLayer ? ([null, ...perLayer] as [null, ...Float32Array[]]) : undefined;
  const captured: CapturedLayers = { layers, logits, headLogits, labels, numClasses: C };
  if (pooling === 'tokens') captured.tokenRows = { kept, total, cap };
  return captured;
}

function keepRows(block: Float32Array, mask: Float32Array, d: number): Float32Array {
  const kept = mask.reduce((s, m) => s + (m > 0 ? 1 : 0), 0);
  const out = new Float32Array(kept * d);
  let r = 0;
  for (let i = 0; i < mask.length; i++)
    if (mask[i] > 0) out.set(block.subarray(i * d, (i + 1) * d), r++ * d);
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
