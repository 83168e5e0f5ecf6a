// The logit lens (nostalgebraist 2020): every layer's residual stream read through the model's own
// final norm and vocabulary projection, scored on next-token prediction against the model's output.
import { requireCausalLm } from './decoderConfig';
import { tf } from '../tf';
import type { Tensor, Tensor1D, Tensor2D } from '../tf';
import { chunks } from '../pipeline/inputs';
import { betweenBatches } from '../tasks';
import { decoderForward, finalNorm, unembed } from './decoderForward';
import { batchTensors } from './decoderHiddenStates';
import { inputRows, type DecoderInput } from './decoderInput';
import type { DecoderParams } from './decoderWeights';

/** Per layer l = 0..L, means over the scored positions. */
export interface LensResult {
  layers: number[];
  /** Next-token top-1 accuracy. */
  accuracy: number[];
  /** Mean cross-entropy of the next token, in nats. */
  loss: number[];
  /** Positions scored: t with tokens t and t + 1 both real. */
  tokens: number;
  /** Mean KL(final ‖ layer) in nats (0 at l = L). */
  kl: number[];
  /** Mean rank of the final top-1 token among the layer's logits (1 = its top-1 too). */
  rank: number[];
}

/** Flat indices b·T + t of the scored positions of some rows, and their next tokens. */
export function scoredPositions(rows: DecoderInput): { at: number[]; next: number[] } {
  const { n, t, ids, mask } = rows;
  const at: number[] = [];
  const next: number[] = [];
  for (let r = 0; r < n; r++)
    for (let k = 0; k + 1 < t; k++)
      if (mask[r * t + k] === 1 && mask[r * t + k + 1] === 1) {
        at.push(r * t + k);
        next.push(ids[r * t + k + 1]);
      }
  return { at, next };
}

/** Sums over positions of one layer's [P, V] logits: [correct, nll, kl, rank]. */
function layerSums(
  logits: Tensor2D,
  next: Tensor1D,
  logFinal: Tensor2D,
  topFinal: Tensor1D,
): Tensor[] {
  const logP = tf.logSoftmax(logits); // [P, V]
  const vocab = logits.shape[1];
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), next), 'float32'));
  const nll = tf.neg(tf.sum(tf.mul(logP, tf.oneHot(next, vocab))));
  const kl = tf.sum(tf.mul(tf.exp(logFinal), tf.sub(logFinal, logP)));
  const topLogit = tf.sum(tf.mul(logits, tf.oneHot(topFinal, vocab)), -1, true); // [P, 1]
  const rank = tf.add(tf.sum(tf.cast(tf.greater(logits, topLogit), 'float32')), next.shape[0]);
  return [correct, nll, kl, rank];
}

/**
 * Runs the lens over `input` in batches. For l < L a layer's logits are unembed(final_norm(h_l)),
 * at l = L the model's own logits. Memory holds one batch's hidden states and one layer's
 * [P, V] logits at a time, never [N, T, V] for every layer.
 */
export async function logitLens(
  params: DecoderParams,
  input: DecoderInput,
  options: {
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
    /** Stops between batches with a TaskAbortedError (tasks.ts). */
    signal?: AbortSignal;
  } = {},
): Promise<LensResult> {
  const c = params.config;
  requireCausalLm(c, 'logit lens');
  const depth = c.numLayers;
  const sums = Array.from({ length: depth + 1 }, () => [0, 0, 0, 0]);
  let tokens = 0;
  for (const [start, end] of chunks(input.n, options.batchSize ?? 8)) {
    await betweenBatches(options.signal, 'logit lens');
    const rows = inputRows(input, start, end);
    const { at, next } = scoredPositions(rows);
    if (at.length > 0) {
      const [hidden, where, nextIds] = tf.tidy(() => {
        const [ids, mask] = batchTensors(rows);
        return [
          decoderForward(params, ids, mask).hidden,
          tf.tensor1d(at, 'int32'),
          tf.tensor1d(next, 'int32'),
        ] as const;
      });
      // The positions' states of layer l, [P, D]; the last entry is already normed.
      const states = (l: number) =>
        tf.gather(tf.reshape(hidden[l], [-1, c.hiddenSize]), where) as Tensor2D;
      const [logFinal, topFinal] = tf.tidy(() => {
        const final = unembed(params, states(depth));
        return [tf.logSoftmax(final), tf.argMax(final, -1)] as [Tensor2D, Tensor1D];
      });
      for (let l = 0; l <= depth; l++) {
        const out = tf.tidy(() => {
          const normed = l === depth ? states(l) : (finalNorm(params, states(l)) as Tensor2D);
          return layerSums(unembed(params, normed), nextIds, logFinal, topFinal);
        });
        const values = await Promise.all(out.map((x) => x.data())); // sync point per layer
        tf.dispose(out);
        values.forEach((v, k) => (sums[l][k] += v[0]));
      }
      tf.dispose([...hidden, where, nextIds, logFinal, topFinal]);
      tokens += at.length;
    }
    options.onProgress?.(end, input.n);
  }
  if (tokens === 0)
    throw new Error(
      'logit lens: no position to score, expected some sample with two consecutive real tokens',
    );
  const mean = (k: number) => sums.map((s) => s[k] / tokens);
  return {
    layers: sums.map((_, l) => l),
    accuracy: mean(0),
    loss: mean(1),
    tokens,
    kl: mean(2),
    rank: mean(3),
  };
}
