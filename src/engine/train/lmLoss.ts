// The language-model loss on a decoder's forward pass: next-token cross-entropy read at the last
// layer (standard) or at every layer through the final norm and the vocabulary projection
// (aligned, the logit lens made a training target): L = Σ_l λ_l · CE(unembed(final_norm(h_l)), next).
import { tf } from '../tf';
import type { GradSaveFunc, Scalar, Tensor, Tensor1D, Tensor2D } from '../tf';
import { decoderForward, finalNorm } from '../decoder/decoderForward';
import type { DecoderInput } from '../decoder/decoderInput';
import type { DecoderParams } from '../decoder/decoderWeights';
import { gatherRows } from '../decoder/gatherRows';
import type { LossParts } from './losses';

/** Flat indices b·T + t of the positions whose tokens t and t + 1 are both real, and the next ids. */
export function nextTokenPositions(rows: DecoderInput): { at: Int32Array; next: Int32Array } {
  const { n, t, ids, mask } = rows;
  const at: number[] = [];
  const next: number[] = [];
  for (let r = 0; r < n; r++)
    for (let k = 0; k + 1 < t; k++)
      if (mask[r * t + k] === 1 && mask[r * t + k + 1] === 1) {
        at.push(r * t + k);
        next.push(ids[r * t + k + 1]);
      }
  return { at: Int32Array.from(at), next: Int32Array.from(next) };
}

/**
 * Mean next-token cross-entropy of states x [P, D] through the projection w [D, V]. Its gradient
 * recomputes the [P, V] logits inside its own tidy, so neither the forward nor the backward pass
 * keeps one layer's logits once that layer is done: memory holds one [P, V] at a time.
 */
export function nextTokenLoss(x: Tensor2D, w: Tensor2D, next: Tensor1D): Scalar {
  const [p, v] = [x.shape[0], w.shape[1]];
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [xs, ws, save] = args as [Tensor2D, Tensor2D, GradSaveFunc];
    save([xs, ws]);
    const logP = tf.logSoftmax(tf.matMul(xs, ws));
    const value = tf.neg(tf.div(tf.sum(tf.mul(tf.oneHot(next, v), logP)), p)) as Scalar;
    return {
      value,
      // d/dz of the mean CE is (softmax(z) − onehot) / P; z = x·w.
      gradFunc: (dy: Tensor, saved: Tensor[]) =>
        tf.tidy(() => {
          const [sx, sw] = saved as [Tensor2D, Tensor2D];
          const probs = tf.softmax(tf.matMul(sx, sw));
          const dz = tf.mul(tf.sub(probs, tf.oneHot(next, v)), tf.div(dy, p)) as Tensor2D;
          return [tf.matMul(dz, sw, false, true), tf.matMul(sx, dz, true, false)];
        }),
    };
  });
  return op(x, w) as Scalar;
}

/** A batch's tensors for the loss: ids and mask [B, T], scored positions and next ids [P]. */
export interface LmBatch {
  ids: Tensor2D;
  mask: Tensor2D;
  at: Tensor1D;
  next: Tensor1D;
}

/** The tensors of some rows; null when no position is scored. The caller disposes them. */
export function lmBatch(rows: DecoderInput): LmBatch | null {
  const { at, next } = nextTokenPositions(rows);
  if (at.length === 0) return null;
  return {
    ids: tf.tensor2d(rows.ids, [rows.n, rows.t], 'int32'),
    mask: tf.tensor2d(rows.mask, [rows.n, rows.t], 'float32'),
    at: tf.tensor1d(at, 'int32'),
    next: tf.tensor1d(next, 'int32'),
  };
}

/**
 * The loss of one batch. `weights` holds λ_1..λ_L (aligned: one per layer) or a single weight
 * (standard: the last layer only). Terms are the unweighted CE per layer, in nats. Synchronous,
 * to run under tf.variableGrads; the caller tidies.
 */
export function lmLoss(params: DecoderParams, batch: LmBatch, weights: number[]): LossParts {
  const c = params.config;
  const L = c.numLayers;
  if (weights.length !== 1 && weights.length !== L)
    throw new Error(
      `lmLoss: ${weights.length} layer weights, expected 1 (standard) or one per layer (${L})`,
    );
  const unembedW = params.tensors.get('unembed') as Tensor2D | undefined;
  if (!unembedW) throw new Error('lmLoss: the decoder has no vocabulary projection (unembed)');
  const { hidden } = decoderForward(params, batch.ids, batch.mask);
  const first = L - weights.length + 1;
  const terms: Scalar[] = [];
  for (let l = first; l <= L; l++) {
    const flat = tf.reshape(hidden[l], [-1, c.hiddenSize]) as Tensor2D;
    const states = gatherRows(flat, batch.at);
    // hidden[L] is already after the final norm (transformers' hidden_states).
    const normed = l === L ? states : (finalNorm(params, states) as Tensor2D);
    terms.push(nextTokenLoss(normed, unembedW, batch.next));
  }
  const total =
    terms.length === 1
      ? (tf.mul(terms[0], weights[0]) as Scalar)
      : (tf.addN(terms.map((t, i) => tf.mul(t, weights[i]))) as Scalar);
  return { total, terms };
}
