import { describe, expect, it } from 'vitest';
import type { NamedArray } from '../io/dtypes';
import type { DecoderConfig } from './decoderConfig';
import { decoderInputFromArrays } from './decoderInput';

const config = { vocabSize: 10 } as DecoderConfig;
const ids = (data: number[], shape = [2, 2]): NamedArray => ({
  name: 'input_ids',
  dtype: 'int32',
  shape,
  data: Int32Array.from(data),
});

describe('decoderInputFromArrays', () => {
  it('reads ids and the mask, all ones when there is none', () => {
    const mask: NamedArray = {
      name: 'attention_mask',
      dtype: 'int32',
      shape: [2, 2],
      data: Int32Array.from([0, 1, 1, 1]),
    };
    const withMask = decoderInputFromArrays([ids([1, 2, 3, 4]), mask], config, 'x.npz');
    expect([withMask.n, withMask.t, [...withMask.mask]]).toEqual([2, 2, [0, 1, 1, 1]]);
    expect([...decoderInputFromArrays([ids([1, 2, 3, 4])], config, 'x.npy').mask]).toEqual([
      1, 1, 1, 1,
    ]);
  });

  it('refuses ids beyond the vocabulary and a mask of another shape or with other values', () => {
    expect(() => decoderInputFromArrays([ids([1, 2, 10, 4])], config, 'x.npz')).toThrow(
      'x.npz: input_ids holds 10 at flat index 2, expected ids in [0, 10)',
    );
    const short: NamedArray = {
      name: 'attention_mask',
      dtype: 'int32',
      shape: [2, 1],
      data: Int32Array.from([1, 1]),
    };
    expect(() => decoderInputFromArrays([ids([1, 2, 3, 4]), short], config, 'x.npz')).toThrow(
      /attention_mask has shape \[2, 1\], expected \[2, 2\]/,
    );
    const twos: NamedArray = {
      name: 'attention_mask',
      dtype: 'int32',
      shape: [2, 2],
      data: Int32Array.from([1, 2, 1, 1]),
    };
    expect(() => decoderInputFromArrays([ids([1, 2, 3, 4]), twos], config, 'x.npz')).toThrow(
      /attention_mask holds 2 at flat index 1, expected 0 or 1/,
    );
  });
});
