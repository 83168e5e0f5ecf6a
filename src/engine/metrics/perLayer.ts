import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { layerName } from './types';
import { assertFinite } from './validate';

/** Per-layer logits of the shared classifier g(x^l): one [N, C] tensor (or N×C array) per layer. */
export type LayerLogits = Tensor2D | number[][];

/** The shared classifier's read-out at every layer. */
export interface PerLayerReadout {
  /** Top-1 accuracy per layer, a fraction in [0, 1]. */
  accuracy: number[];
  /** Mean cross-entropy per layer, in nats. */
  loss: number[];
  /** Top-1 class per layer and sample (ties go to the lowest class index). */
  predictions: Int32Array[];
  /** Per sample, the saturation layer (see saturationFromPredictions). */
  saturation: Int32Array;
}

function checkLogits(logits: readonly Tensor2D[], labels: Int32Array | null, where: string): void {
  if (logits.length === 0) throw new Error(`${where}: no layers given, expected at least one`);
  const [n, c] = logits[0].shape;
  logits.forEach((x, l) => {
    if (x.rank !== 2 || x.shape[0] !== n || x.shape[1] !== c) {
      throw new Error(
        `${where}: ${layerName(l)} logits have shape [${x.shape}], expected [${n}, ${c}] like ${layerName(0)}`,
      );
    }
  });
  if (labels === null) return;
  if (labels.length !== n) {
    throw new Error(`${where}: ${labels.length} labels for ${n} samples, expected one per sample`);
  }
  const bad = labels.findIndex((y) => y < 0 || y >= c);
  if (bad >= 0) {
    throw new Error(
      `${where}: label ${labels[bad]} of sample ${bad} is not a class of 0..${c - 1}`,
    );
  }
}

async function withTensors<T>(
  logits: readonly LayerLogits[],
  run: (xs: Tensor2D[]) => Promise<T>,
): Promise<T> {
  const owned = logits.map((x) => (Array.isArray(x) ? tf.tensor2d(x) : null));
  try {
    return await run(logits.map((x, l) => owned[l] ?? (x as Tensor2D)));
  } finally {
    owned.forEach((t) => t?.dispose());
  }
}

/** Predictions (and, with labels, per-sample cross-entropy) of every layer, one readback. */
async function readLogits(xs: Tensor2D[], labels: Int32Array | null, where: string) {
  checkLogits(xs, labels, where);
  await assertFinite(xs, where);
  const [n, c] = xs[0].shape;
  const flat = tf.tidy(() => {
    const parts = xs.map((x) => tf.cast(tf.argMax(x, 1), 'float32')); // [N] each
    if (labels !== null) {
      // oneHot(…, 'float32') writes int32 bits on wasm (tfjs 4.22): cast an int32 one-hot instead.
      const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), c), 'float32'); // [N, C]
      for (const x of xs) parts.push(tf.neg(tf.sum(tf.mul(tf.logSoftmax(x), onehot), 1))); // [N]
    }
    return tf.concat(parts);
  });
  // sync point: class indices (exact in float32) and per-sample losses of every layer.
  const data = await flat.data();
  flat.dispose();
  const k = xs.length;
  const predictions = xs.map((_, l) => Int32Array.from(data.subarray(l * n, (l + 1) * n)));
  const nll = labels === null ? [] : xs.map((_, l) => data.subarray((k + l) * n, (k + l + 1) * n));
  return { predictions, nll };
}

function accuracyOf(pred: Int32Array, labels: Int32Array): number {
  let hits = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) hits++;
  return hits / pred.length;
}

function meanOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/**
 * Saturation layer of each sample (docs/design.md §3): the first layer index s from which the top-1
 * prediction never changes, i.e. pred[s] = pred[s+1] = … = pred[last]. Indices are into the given
 * list of layers (0 = the first layer given), so a sample that never changes its mind gets 0 and
 * one that changes at the last layer gets the last index.
 */
export function saturationFromPredictions(predictions: readonly Int32Array[]): Int32Array {
  const last = predictions.length - 1;
  const n = predictions[0]?.length ?? 0;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = last;
    while (s > 0 && predictions[s - 1][i] === predictions[last][i]) s--;
    out[i] = s;
  }
  return out;
}

/**
 * Accuracy, mean cross-entropy CE = −(1/N) Σ_i log softmax(z_i)_{y_i}, predictions and
 * saturation layers of the shared classifier at every layer, from one readback.
 */
export async function perLayerReadout(
  logits: readonly LayerLogits[],
  labels: Int32Array,
): Promise<PerLayerReadout> {
  return withTensors(logits, async (xs) => {
    const { predictions, nll } = await readLogits(xs, labels, 'per-layer read-out');
    return {
      accuracy: predictions.map((p) => accuracyOf(p, labels)),
      loss: nll.map(meanOf),
      predictions,
      saturation: saturationFromPredictions(predictions),
    };
  });
}

/** Top-1 accuracy of the shared classifier at each layer (fraction correct; ties → lowest class). */
export async function perLayerAccuracy(
  logits: readonly LayerLogits[],
  labels: Int32Array,
): Promise<number[]> {
  return withTensors(logits, async (xs) => {
    const { predictions } = await readLogits(xs, labels, 'per-layer accuracy');
    return predictions.map((p) => accuracyOf(p, labels));
  });
}

/** Mean cross-entropy at each layer: −(1/N) Σ_i log softmax(z_i^l)_{y_i}, in nats. */
export async function perLayerLoss(
  logits: readonly LayerLogits[],
  labels: Int32Array,
): Promise<number[]> {
  return withTensors(logits, async (xs) => {
    const { nll } = await readLogits(xs, labels, 'per-layer loss');
    return nll.map(meanOf);
  });
}

/** Saturation layer of each sample from per-layer logits (see saturationFromPredictions). */
export async function saturationLayers(logits: readonly LayerLogits[]): Promise<Int32Array> {
  return withTensors(logits, async (xs) => {
    const { predictions } = await readLogits(xs, null, 'saturation layers');
    return saturationFromPredictions(predictions);
  });
}

/**
 * Minimal depth (docs/design.md §3): the first index whose accuracy is within `tolerance` of the
 * last one's: accuracies[i] ≥ accuracies[last] − tolerance (a layer above the last one counts).
 * Accuracies and tolerance share a unit: fractions, so 0.01 is one point. A slack of 1e-12
 * absorbs the rounding of the subtraction.
 */
export function minimalDepth(accuracies: readonly number[], tolerance = 0.01): number {
  if (accuracies.length === 0) throw new Error('minimal depth: no accuracies given');
  if (!(tolerance >= 0)) throw new Error(`minimal depth: tolerance ${tolerance}, expected ≥ 0`);
  const bad = accuracies.findIndex((a) => !Number.isFinite(a));
  if (bad >= 0)
    throw new Error(`minimal depth: accuracy of ${layerName(bad)} is ${accuracies[bad]}`);
  const target = accuracies[accuracies.length - 1] - tolerance - 1e-12;
  return accuracies.findIndex((a) => a >= target);
}
