// Token ids and attention mask of a decoder's input, read from named arrays (.npz / .npy).
import type { NamedArray } from '../io/dtypes';
import type { DecoderConfig } from './decoderConfig';

/** N rows of T ids, row-major, and their mask (1 real, 0 padding). */
export interface DecoderInput {
  n: number;
  t: number;
  ids: Int32Array;
  mask: Float32Array;
}

const INTS = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];

/**
 * `input_ids` [N, T] (the only array, or the one of that name) and an optional `attention_mask`
 * [N, T] of 0/1 (all ones when absent). Errors name `source`, the array and what was expected.
 */
export function decoderInputFromArrays(
  arrays: readonly NamedArray[],
  config: DecoderConfig,
  source: string,
): DecoderInput {
  const ids =
    arrays.length === 1
      ? arrays[0]
      : arrays.find((a) => a.name.replace(/\.npy$/, '') === 'input_ids');
  if (!ids)
    throw new Error(`${source}: no input_ids array, expected input_ids [N, T] of token ids`);
  if (ids.shape.length !== 2 || !INTS.includes(ids.dtype))
    throw new Error(
      `${source}: input_ids is ${ids.dtype} [${ids.shape.join(', ')}], expected integer ids [N, T]`,
    );
  const [n, t] = ids.shape;
  if (n < 1 || t < 1)
    throw new Error(`${source}: input_ids is empty, expected [N, T] with N, T ≥ 1`);
  const idValues = new Int32Array(n * t);
  for (let i = 0; i < n * t; i++) {
    const v = Number(ids.data[i]);
    if (!(v >= 0 && v < config.vocabSize))
      throw new Error(
        `${source}: input_ids holds ${v} at flat index ${i}, expected ids in [0, ${config.vocabSize})`,
      );
    idValues[i] = v;
  }
  const mask = new Float32Array(n * t).fill(1);
  const maskArray = arrays.find((a) => a.name.replace(/\.npy$/, '') === 'attention_mask');
  if (maskArray && arrays.length > 1) {
    if (maskArray.shape.join() !== ids.shape.join())
      throw new Error(
        `${source}: attention_mask has shape [${maskArray.shape.join(', ')}], expected [${n}, ${t}] like input_ids`,
      );
    for (let i = 0; i < n * t; i++) {
      const v = Number(maskArray.data[i]);
      if (v !== 0 && v !== 1)
        throw new Error(`${source}: attention_mask holds ${v} at flat index ${i}, expected 0 or 1`);
      mask[i] = v;
    }
  }
  return { n, t, ids: idValues, mask };
}

/** Rows [start, end) of an input. */
export function inputRows(input: DecoderInput, start: number, end: number): DecoderInput {
  const { t } = input;
  return {
    n: end - start,
    t,
    ids: input.ids.subarray(start * t, end * t),
    mask: input.mask.subarray(start * t, end * t),
  };
}
