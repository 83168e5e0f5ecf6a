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
    const out = tf.tidy((): Tensor[] => {
      const [ids, mask] = batchTensors(rows);
      const { hidden: states } = decoderForward(params, ids, mask);
      const last = tf.reshape(states[c.numLayers], [b * t, d]) as Tensor2D;
      let head: Tensor;
      if (c.numClasses === undefined)
        head = unembed(params, last); // [B·T, V]
      else {
        const at = lastRealToken(rows.ids, b, t, c.padTokenId ?? 0);
        const picked = tf.gather(
          last,
          tf.tensor1d(
            Array.from(at, (k, r) => r * t + k),
            'int32',
          ),
        );
        head = tf.matMul(picked, params.tensors.get('score')!); // [B, C]
      }
      return [...states, head];
    });
    // sync point: one readback per layer per batch.
    const values = await Promise.all(out.map((x) => x.data()));
    tf.dispose(out);
    for (let l = 0; l <= c.numLayers; l++) hidden[l].set(values[l] as Float32Array, start * t * d);
    logits.set(values[c.numLayers + 1] as Float32Array, start * perRow);
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
