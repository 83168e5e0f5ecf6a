// The logit lens (nostalgebraist 2020): every layer's residual stream read through the model's own
// final norm and vocabulary projection, scored on next-token prediction against the model's output.
import { requireCausalLm } from './decoderConfig';
import { tf } from '../tf';
import type { Tensor1D, Tensor2D } from '../tf';
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

/**
 * Positions scored at once: one [P, V] logits matrix stays near this many bytes whatever the
 * batch size, so a 50k-token vocabulary does not multiply a batch's memory by V.
 */
export const LENS_SLICE_BYTES = 32 * 2 ** 20;

/** Positions per slice for a vocabulary of `vocab` tokens (at least one). */
export function lensSlicePositions(vocab: number, sliceBytes = LENS_SLICE_BYTES): number {
  return Math.max(1, Math.floor(sliceBytes / (4 * vocab)));
}

/** The final layer's distribution over P positions, kept while every layer is scored. */
export interface FinalReadout {
  /** softmax of the final logits, [P, V]. */
  probs: Tensor2D;
  /** log softmax of the final logits, [P, V]. */
  logP: Tensor2D;
  /** Its top-1 token, [P]. */
  top: Tensor1D;
}

/**
 * Per position of one layer's [P, V] logits z, four [P] vectors: [correct, nll, kl, rank], with
 * nll = lse(z) − z_next and KL(final ‖ layer) = Σ_v p (log p − (z − lse(z))). The device sums
 * each position over the vocabulary only; the caller adds positions in float64. One float32 sum
 * over a whole slice (166 positions × 50,257 tokens) was 1.4e-2 nats off a float64 reference
 * (logitLensSums.test.ts), 1.6e-5 now: the float32 log-sum-exps' own rounding.
 */
export function layerSums(logits: Tensor2D, next: Tensor1D, final: FinalReadout): Tensor1D[] {
  const lse = tf.tidy(() => tf.logSumExp(logits, -1, true)); // [P, 1]
  const correct = tf.tidy(() => tf.cast(tf.equal(tf.argMax(logits, -1), next), 'float32'));
  const pick = (ids: Tensor1D) => tf.tidy(() => pickPerRow(logits, ids)); // [P]
  const nll = tf.tidy(() => tf.sub(tf.reshape(lse, [-1]), pick(next)));
  const kl = tf.tidy(() =>
    tf.sum(tf.mul(final.probs, tf.sub(final.logP, tf.sub(logits, lse))), -1),
  );
  const rank = tf.tidy(() => {
    const topLogit = tf.reshape(pick(final.top), [-1, 1]); // [P, 1]
    return tf.add(tf.sum(tf.cast(tf.greater(logits, topLogit), 'float32'), -1), 1);
  });
  lse.dispose();
  return [correct, nll, kl, rank] as Tensor1D[];
}

/** z[p, ids[p]] for every row p: [P, V] × [P] → [P], by a gather on the flat matrix. */
function pickPerRow(z: Tensor2D, ids: Tensor1D): Tensor1D {
  const [rows, vocab] = z.shape;
  const flat = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(vocab, 'int32')), ids);
  return tf.gather(tf.reshape(z, [-1]), flat) as Tensor1D;
}

/** The final readout of P positions' final (already normed) states. */
function finalReadout(params: DecoderParams, states: () => Tensor2D): FinalReadout {
  return tf.tidy(() => {
    const logits = unembed(params, states());
    const logP = tf.logSoftmax(logits) as Tensor2D;
    return { probs: tf.exp(logP) as Tensor2D, logP, top: tf.argMax(logits, -1) as Tensor1D };
  });
}

/**
 * Runs the lens over `input` in batches. For l < L a layer's logits are unembed(final_norm(h_l)),
 * at l = L the model's own logits. Memory holds one batch's hidden states and, per slice of at
 * most lensSlicePositions(V) positions, the final distribution and one layer's [P, V] logits,
 * never [N, T, V] for every layer.
 */
export async function logitLens(
  params: DecoderParams,
  input: DecoderInput,
  options: {
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
    /** Stops between batches with a TaskAbortedError (tasks.ts). */
    signal?: AbortSignal;
    /** Bytes of one slice's [P, V] logits (LENS_SLICE_BYTES). */
    sliceBytes?: number;
  } = {},
): Promise<LensResult> {
  const c = params.config;
  requireCausalLm(c, 'logit lens');
  const depth = c.numLayers;
  const sums = Array.from({ length: depth + 1 }, () => [0, 0, 0, 0]);
  const slice = lensSlicePositions(c.vocabSize, options.sliceBytes);
  let tokens = 0;
  for (const [start, end] of chunks(input.n, options.batchSize ?? 8)) {
    await betweenBatches(options.signal, 'logit lens');
    const rows = inputRows(input, start, end);
    const { at, next } = scoredPositions(rows);
    if (at.length > 0) {
      const hidden = tf.tidy(() => decoderForward(params, ...batchTensors(rows)).hidden);
      for (const [from, to] of chunks(at.length, slice)) {
        const [where, nextIds] = tf.tidy(() => [
          tf.tensor1d(at.slice(from, to), 'int32'),
          tf.tensor1d(next.slice(from, to), 'int32'),
        ]);
        // The slice's states of layer l, [P, D]; the last entry is already normed.
        const states = (l: number) =>
          tf.gather(tf.reshape(hidden[l], [-1, c.hiddenSize]), where) as Tensor2D;
        const final = finalReadout(params, () => states(depth));
        for (let l = 0; l <= depth; l++) {
          const logits = tf.tidy(() =>
            unembed(params, l === depth ? states(l) : (finalNorm(params, states(l)) as Tensor2D)),
          );
          const out = layerSums(logits, nextIds, final);
          logits.dispose();
          const values = await Promise.all(out.map((x) => x.data())); // sync point per layer
          tf.dispose(out);
          values.forEach((v, k) => v.forEach((x) => (sums[l][k] += x))); // float64
        }
        tf.dispose([where, nextIds, final.probs, final.logP, final.top]);
      }
      tf.dispose(hidden);
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
