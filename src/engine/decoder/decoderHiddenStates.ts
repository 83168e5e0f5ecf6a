// A decoder's hidden states and logits for a batch of token ids, as transformers'
// `output_hidden_states` gives them, computed batch by batch.
import { tf } from '../tf';
import type { Tensor, Tensor2D } from '../tf';
import type { NamedArray } from '../io/dtypes';
import { chunks } from '../pipeline/inputs';
import { betweenBatches } from '../tasks';
import { decoderForward, lastRealToken, unembed } from './decoderForward';
import { inputRows, type DecoderInput } from './decoderInput';
import type { DecoderParams } from './decoderWeights';

/** ids [B, T] int32 and mask [B, T] float32 tensors of some rows. The caller disposes them. */
export function batchTensors(input: DecoderInput): [Tensor2D, Tensor2D] {
  return [
    tf.tensor2d(input.ids, [input.n, input.t], 'int32'),
    tf.tensor2d(input.mask, [input.n, input.t], 'float32'),
  ];
}

/** Bytes of one slice of [P, V] logits: a wide vocabulary's logits never sit whole in tensors. */
export const LOGIT_SLICE_BYTES = 32 * 2 ** 20;

/**
 * A batch's logits [B·T, V] from its normed last states [B, T, D], a slice of positions at a
 * time, into `into` from `offset`: the backend holds one slice, not the batch's [B, T, V].
 */
async function readLogits(
  params: DecoderParams,
  last: Tensor,
  into: Float32Array,
  offset: number,
  sliceBytes = LOGIT_SLICE_BYTES,
): Promise<void> {
  const [b, t, d] = last.shape;
  const vocab = params.config.vocabSize;
  const positions = Math.max(1, Math.floor(sliceBytes / (4 * vocab)));
  for (const [from, to] of chunks(b * t, positions)) {
    const part = tf.tidy(() => {
      const rows = tf.slice(tf.reshape(last, [b * t, d]), [from, 0], [to - from, d]) as Tensor2D;
      return unembed(params, rows);
    });
    try {
      into.set((await part.data()) as Float32Array, offset + from * vocab);
    } finally {
      part.dispose();
    }
  }
}

/**
 * `hidden_0 … hidden_L` [N, T, D] (the last after the final norm, as transformers gives it) and
 * `logits`: [N, T, V] for a language model, [N, C] for GPT2ForSequenceClassification (its score
 * head on the last non-padding token).
 */
export async function decoderHiddenStates(
  params: DecoderParams,
  input: DecoderInput,
  options: {
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
    /** Stops between batches with a TaskAbortedError (tasks.ts). */
    signal?: AbortSignal;
    /** Bytes of one slice of a language model's [P, V] logits (LOGIT_SLICE_BYTES). */
    sliceBytes?: number;
  } = {},
): Promise<NamedArray[]> {
  const c = params.config;
  const { n, t } = input;
  const d = c.hiddenSize;
  const width = c.numClasses ?? c.vocabSize;
  const perRow = c.numClasses === undefined ? t * width : width;
  const hidden = Array.from({ length: c.numLayers + 1 }, () => new Float32Array(n * t * d));
  const logits = new Float32Array(n * perRow);
  for (const [start, end] of chunks(n, options.batchSize ?? 16)) {
    await betweenBatches(options.signal, 'hidden states');
    const rows = inputRows(input, start, end);
    const b = end - start;
    const states = tf.tidy((): Tensor[] => {
      const [ids, mask] = batchTensors(rows);
      return decoderForward(params, ids, mask).hidden;
    });
    try {
      // sync point: one readback per layer per batch.
      for (let l = 0; l <= c.numLayers; l++)
        hidden[l].set((await states[l].data()) as Float32Array, start * t * d);
      const last = states[c.numLayers];
      if (c.numClasses === undefined)
        await readLogits(params, last, logits, start * perRow, options.sliceBytes);
      else {
        const head = tf.tidy(() => {
          const at = lastRealToken(rows.ids, b, t, c.padTokenId ?? 0);
          const flat = tf.reshape(last, [b * t, d]);
          const index = tf.tensor1d(
            Array.from(at, (k, r) => r * t + k),
            'int32',
          );
          return tf.matMul(tf.gather(flat, index), params.tensors.get('score')!); // [B, C]
        });
        try {
          logits.set((await head.data()) as Float32Array, start * perRow);
        } finally {
          head.dispose();
        }
      }
    } finally {
      tf.dispose(states);
    }
    options.onProgress?.(end, n);
  }
  const logitShape = c.numClasses === undefined ? [n, t, width] : [n, width];
  return [
    ...hidden.map((data, l): NamedArray => ({
      name: `hidden_${l}`,
      dtype: 'float32',
      shape: [n, t, d],
      data,
    })),
    { name: 'logits', dtype: 'float32', shape: logitShape, data: logits },
  ];
}
