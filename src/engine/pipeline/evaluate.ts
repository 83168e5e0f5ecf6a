import { tf } from '../tf';
import type { Dataset, DataSplit } from '../data/types';
import { forward } from '../model/forward';
import { betweenBatches } from '../tasks';
import type { ModelConfig } from '../model/config';
import type { ModelParams } from '../model/params';
import { exitLogits, type LossKind } from '../train/losses';
import { chunks, forwardBatchSize, inputBatch, inputTensors } from './inputs';

/** A model with its parameters, as the pipeline and the trainer use it. */
export interface LoadedModel {
  config: ModelConfig;
  params: ModelParams;
}

/**
 * Whether a model has per-layer heads (the multi-head baseline): its config decides, everywhere —
 * the analysis, the exits and the CLI read the same field.
 */
export function hasPerLayerHeads(config: ModelConfig): boolean {
  return config.heads === 'per-layer';
}

/** Per-layer logits of the exit classifiers, read back: logits[l − 1] is layer l, row-major [N, C]. */
export interface ExitLogits {
  logits: Float32Array[];
  labels: Int32Array;
  numClasses: number;
}

/** Options of {@link collectExitLogits}. */
export interface ExitLogitsOptions {
  heads?: LossKind;
  batchSize?: number;
  finalNormInHead?: boolean;
  onProgress?(done: number, total: number): void;
  /** Stops between batches with a TaskAbortedError (tasks.ts). */
  signal?: AbortSignal;
}

/**
 * Runs rows `indices` of a split through the model in batches and reads back the classifiers'
 * logits at layers 1..L: the shared head g, or for `multihead` the multi-exit baseline's heads
 * g_1..g_{L−1} and g at L — exitLogits in losses.ts, which captureLayers uses too.
 */
export async function collectExitLogits(
  model: LoadedModel,
  dataset: Pick<Dataset, 'kind' | 'inputShape' | 'feed'>,
  split: DataSplit,
  indices: Int32Array,
  options: ExitLogitsOptions = {},
): Promise<ExitLogits> {
  const heads = options.heads ?? (hasPerLayerHeads(model.config) ? 'multihead' : 'aligned');
  const [out] = await collectExitLogitsOfHeads(model, dataset, split, indices, [heads], options);
  return out;
}

/**
 * {@link collectExitLogits} for several exit classifiers at once (e.g. a multi-head model's own
 * heads and the shared classifier g), from one forward pass per batch: one result per entry of
 * `heads`, in that order.
 */
export async function collectExitLogitsOfHeads(
  model: LoadedModel,
  dataset: Pick<Dataset, 'kind' | 'inputShape' | 'feed'>,
  split: DataSplit,
  indices: Int32Array,
  heads: LossKind[],
  options: Omit<ExitLogitsOptions, 'heads'> = {},
): Promise<ExitLogits[]> {
  const { config, params } = model;
  const L = config.numLayers;
  const C = config.numClasses;
  const n = indices.length;
  const batchSize = options.batchSize ?? forwardBatchSize(config, 256);
  const logits = heads.map(() => Array.from({ length: L }, () => new Float32Array(n * C)));
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = split.y[indices[i]];
  for (const [start, end] of chunks(n, batchSize)) {
    await betweenBatches(options.signal, 'exit logits');
    const rows = indices.subarray(start, end);
    const stacked = tf.tidy(() => {
      const input = inputBatch(dataset, split, rows);
      const capture = forward(params, config, input, { finalNormInHead: options.finalNormInHead });
      const out = tf.stack(heads.flatMap((h) => exitLogits(capture, h))); // [K·L, B, C]
      inputTensors(input).forEach((t) => t.dispose());
      return out;
    });
    // sync point: one readback per evaluation batch.
    const values = await stacked.data();
    stacked.dispose();
    const b = end - start;
    heads.forEach((_, k) => {
      for (let l = 0; l < L; l++) {
        const at = (k * L + l) * b * C;
        logits[k][l].set(values.subarray(at, at + b * C), start * C);
      }
    });
    options.onProgress?.(end, n);
  }
  return logits.map((perLayer) => ({ logits: perLayer, labels, numClasses: C }));
}

/** Accuracy (fraction) and mean cross-entropy of each layer's logits. */
export function layerAccuracyAndLoss({ logits, labels, numClasses: C }: ExitLogits): {
  accuracy: number[];
  loss: number[];
} {
  const n = labels.length;
  const accuracy: number[] = [];
  const loss: number[] = [];
  for (const z of logits) {
    let correct = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const row = z.subarray(i * C, (i + 1) * C);
      let best = 0;
      let max = row[0];
      for (let c = 1; c < C; c++) {
        if (row[c] > max) {
          max = row[c];
          best = c;
        }
      }
      let sum = 0;
      for (let c = 0; c < C; c++) sum += Math.exp(row[c] - max);
      total += Math.log(sum) + max - row[labels[i]];
      if (best === labels[i]) correct++;
    }
    accuracy.push(correct / n);
    loss.push(total / n);
  }
  return { accuracy, loss };
}
