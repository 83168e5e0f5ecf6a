// Teacher-forced early exit for a decoder language model: every scored position (tokens t and
// t + 1 real) is one "sample" of the classifier exit rules, its lens distribution at layer l
// (unembed(final_norm(h_l)), the model's own logits at L) one exit classifier's output.
import { requireCausalLm } from './decoderConfig';
import { tf } from '../tf';
import type { Tensor, Tensor1D, Tensor2D } from '../tf';
import type { ExitScores } from '../exits/scores';
import { chunks } from '../pipeline/inputs';
import { betweenBatches } from '../tasks';
import { decoderForward, finalNorm, unembed } from './decoderForward';
import { batchTensors } from './decoderHiddenStates';
import { inputRows, type DecoderInput } from './decoderInput';
import type { DecoderParams } from './decoderWeights';
import { scoredPositions } from './logitLens';

/** The rules' scores per exit layer 1..L and position, with what an LM is scored on. */
export interface LmExitScores extends ExitScores {
  /** The next token of each position ([P]). */
  next: Int32Array;
  /** Per layer, −ln p(next token) in nats ([P] each). */
  nll: Float64Array[];
}

/** [top-1, max probability, entropy, −ln p(next)] of one layer's [P, V] logits. */
function layerScores(logits: Tensor2D, next: Tensor1D): Tensor[] {
  const logP = tf.logSoftmax(logits);
  const p = tf.exp(logP);
  return [
    tf.argMax(logits, -1),
    tf.exp(tf.max(logP, -1)),
    tf.neg(tf.sum(tf.mul(p, logP), -1)),
    tf.neg(tf.sum(tf.mul(logP, tf.oneHot(next, logits.shape[1])), -1)),
  ];
}

/**
 * Scores of every scored position at every layer 1..L, batch by batch. Memory holds one batch's
 * hidden states and one layer's [P, V] logits at a time, plus four numbers per (layer, position):
 * never [N, T, V] for all layers.
 */
export async function lmExitScores(
  params: DecoderParams,
  input: DecoderInput,
  options: {
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
    /** Checked between batches. */
    signal?: AbortSignal;
  } = {},
): Promise<LmExitScores> {
  const c = params.config;
  requireCausalLm(c, 'LM early exit');
  const depth = c.numLayers;
  const total = scoredPositions(input).at.length;
  if (total === 0)
    throw new Error(
      'LM early exit: no position to score, expected some sample with two consecutive real tokens',
    );
  const top1 = Array.from({ length: depth }, () => new Int32Array(total));
  const confidence = Array.from({ length: depth }, () => new Float64Array(total));
  const entropy = Array.from({ length: depth }, () => new Float64Array(total));
  const nll = Array.from({ length: depth }, () => new Float64Array(total));
  const next = new Int32Array(total);
  const logV = Math.log(c.vocabSize);
  let offset = 0;
  for (const [start, end] of chunks(input.n, options.batchSize ?? 8)) {
    await betweenBatches(options.signal, 'LM early exit');
    const rows = inputRows(input, start, end);
    const { at, next: targets } = scoredPositions(rows);
    if (at.length > 0) {
      const [hidden, where, nextIds] = tf.tidy(() => {
        const [ids, mask] = batchTensors(rows);
        return [
          decoderForward(params, ids, mask).hidden,
          tf.tensor1d(at, 'int32'),
          tf.tensor1d(targets, 'int32'),
        ] as const;
      });
      try {
        for (let l = 1; l <= depth; l++) {
          const out = tf.tidy(() => {
            const states = tf.gather(tf.reshape(hidden[l], [-1, c.hiddenSize]), where) as Tensor2D;
            // The last entry of `hidden` is already after the final norm.
            const normed = l === depth ? states : (finalNorm(params, states) as Tensor2D);
            return layerScores(unembed(params, normed), nextIds);
          });
          const [t, p, h, e] = await Promise.all(out.map((x) => x.data())); // sync per layer
          tf.dispose(out);
          top1[l - 1].set(t as Int32Array, offset);
          confidence[l - 1].set(p, offset);
          // Clamped like exitScores, so that rounding cannot move a row past τ = ln V.
          for (let k = 0; k < at.length; k++) {
            entropy[l - 1][offset + k] = Math.min(logV, Math.max(0, h[k]));
            nll[l - 1][offset + k] = e[k];
          }
        }
      } finally {
        tf.dispose([...hidden, where, nextIds]);
      }
      next.set(targets, offset);
      offset += at.length;
    }
    options.onProgress?.(end, input.n);
  }
  const agreeRun = top1.map(() => new Int32Array(total));
  for (let l = 1; l < depth; l++)
    for (let k = 0; k < total; k++)
      agreeRun[l][k] = top1[l][k] === top1[l - 1][k] ? agreeRun[l - 1][k] + 1 : 0;
  return {
    layers: depth,
    samples: total,
    classes: c.vocabSize,
    top1,
    confidence,
    entropy,
    agreeRun,
    next,
    nll,
  };
}
