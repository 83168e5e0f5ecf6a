import { tf } from '../tf';
import type { Scalar, Tensor1D, Tensor2D } from '../tf';
import type { Capture } from '../model/forward';

/** `standard`: CE at the last layer; `aligned`: one shared g on every layer; `multihead`: g_l per layer. */
export type LossKind = 'standard' | 'aligned' | 'multihead';

/** Mean cross-entropy of logits [B, C] against integer labels [B]: −(1/B) Σ_i log softmax(z_i)[y_i]. */
export function crossEntropy(logits: Tensor2D, labels: Tensor1D): Scalar {
  const numClasses = logits.shape[1];
  const oneHot = tf.oneHot(labels, numClasses); // [B, C]
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as Scalar;
}

/**
 * The classifiers' logits at layers 1..L of a capture taken with `layers: 'all'`: the shared head
 * g for `standard` and `aligned`; for `multihead` the per-layer heads g_1..g_{L−1} and, at the
 * last layer, the model's own head g (the standard multi-exit architecture).
 */
export function exitLogits(capture: Capture, kind: LossKind): Tensor2D[] {
  const shared = capture.logits.filter((_, i) => capture.layers[i] >= 1);
  if (kind !== 'multihead') return shared;
  const heads = capture.layerHeadLogits;
  if (!heads)
    throw new Error(
      'multihead loss: the model has no per-layer heads (config heads must be "per-layer")',
    );
  return [...heads.slice(0, shared.length - 1), shared[shared.length - 1]];
}

/** The loss of one batch and its per-layer cross-entropy terms (one per layer 1..L, or one). */
export interface LossParts {
  total: Scalar;
  terms: Scalar[];
}

/**
 * L_standard = CE(g(x^L), y). L_aligned = Σ_l λ_l CE(g(x^l), y) with one g for all layers;
 * L_multihead = Σ_l λ_l CE(g_l(x^l), y) (docs/design.md §3). For `standard` the capture may hold
 * only the last layer (`layers: 'last'`).
 */
export function trainingLoss(
  capture: Capture,
  labels: Tensor1D,
  kind: LossKind,
  weights: number[],
): LossParts {
  if (kind === 'standard') {
    const term = crossEntropy(capture.logits[capture.logits.length - 1], labels);
    return { total: term, terms: [term] };
  }
  const logits = exitLogits(capture, kind);
  if (logits.length !== weights.length) {
    throw new Error(`${kind} loss: ${weights.length} layer weights for ${logits.length} layers`);
  }
  // All layers' logits at once ([L, B, C]): one softmax and one reduction instead of one per
  // layer, the same arithmetic per row (losses.test.ts compares with crossEntropy per layer).
  const oneHot = tf.oneHot(labels, logits[0].shape[1]); // [B, C]
  const perLayer = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(tf.stack(logits))), 2), 1)); // [L]
  const total = tf.sum(tf.mul(perLayer, tf.tensor1d(weights))) as Scalar;
  return { total, terms: tf.unstack(perLayer) as Scalar[] };
}
