// A decoder's hidden states and logits for a batch of token ids, as transformers'
// `output_hidden_states` gives them, computed batch by batch.
import { tf } from '../tf';
import type { Tensor, Tensor2D } from '../tf';
import type { HiddenStatesSink } from '../io/hiddenStatesPieces';
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
 * time, each to `sink` at `offset` + its first position × V: the backend and the sink hold one
 * slice, not the batch's [B, T, V].
 */
async function sendLogits(
  params: DecoderParams,
  last: Tensor,
  sink: HiddenStatesSink,
  shape: number[],
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
    let data: Float32Array;
    try {
      data = (await part.data()) as Float32Array;
    } finally {
      part.dispose();
    }
    await sink({ name: 'logits', shape, offset: offset + from * vocab, data });
  }
}

/** A sink that copies every piece into whole arrays, for a caller that wants them returned. */
function collect(arrays: NamedArray[]): HiddenStatesSink {
  const byName = new Map(arrays.map((a) => [a.name, a.data as Float32Array]));
  return (piece) => byName.get(piece.name)!.set(piece.data, piece.offset);
}

/**
 * `hidden_0 … hidden_L` [N, T, D] (the last after the final norm, as transformers gives it) and
 * `logits`: [N, T, V] for a language model, [N, C] for GPT2ForSequenceClassification (its score
 * head on the last non-padding token). With `sink`, each batch's rows go to it (a language model's
 * logits a slice of positions at a time) and nothing is returned: nothing holds every row at once.
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
    /** Takes the arrays piece by piece instead of returning them. */
    sink?: HiddenStatesSink;
  } = {},
): Promise<NamedArray[]> {
  const c = params.config;
  const { n, t } = input;
  const d = c.hiddenSize;
  const width = c.numClasses ?? c.vocabSize;
  const perRow = c.numClasses === undefined ? t * width : width;
  const hiddenShape = [n, t, d];
  const logitShape = c.numClasses === undefined ? [n, t, width] : [n, width];
  const arrays: NamedArray[] = options.sink
    ? []
    : [
        ...Array.from({ length: c.numLayers + 1 }, (_, l): NamedArray => ({
          name: `hidden_${l}`,
          dtype: 'float32',
          shape: hiddenShape,
          data: new Float32Array(n * t * d),
        })),
        { name: 'logits', dtype: 'float32', shape: logitShape, data: new Float32Array(n * perRow) },
      ];
  const sink = options.sink ?? collect(arrays);
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
      for (let l = 0; l <= c.numLayers; l++) {
        const data = (await states[l].data()) as Float32Array;
        await sink({ name: `hidden_${l}`, shape: hiddenShape, offset: start * t * d, data });
      }
      const last = states[c.numLayers];
      if (c.numClasses === undefined)
        await sendLogits(params, last, sink, logitShape, start * perRow, options.sliceBytes);
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
        let data: Float32Array;
        try {
          data = (await head.data()) as Float32Array;
        } finally {
          head.dispose();
        }
        await sink({ name: 'logits', shape: logitShape, offset: start * perRow, data });
      }
    } finally {
      tf.dispose(states);
    }
    options.onProgress?.(end, n);
  }
  return arrays;
}
