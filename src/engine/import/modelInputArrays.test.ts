import { describe, expect, it } from 'vitest';
import type { NamedArray } from '../io/dtypes';
import { PRESETS, type TextConfig, type VisionConfig } from '../model/config';
import { modelInputFromArrays } from './modelInputArrays';

const vision: VisionConfig = {
  ...PRESETS['vit-mnist'],
  imageSize: 4,
  patchSize: 2,
  numChannels: 2,
};
const text: TextConfig = { ...PRESETS['text-imdb'], vocabSize: 10, maxLength: 4 };

const f32 = (name: string, shape: number[], values?: number[]): NamedArray => ({
  name,
  dtype: 'float32',
  shape,
  data: values ? Float32Array.from(values) : new Float32Array(shape.reduce((a, b) => a * b, 1)),
});
const i64 = (name: string, shape: number[], values: number[]): NamedArray => ({
  name,
  dtype: 'int64',
  shape,
  data: Int32Array.from(values),
});

describe('modelInputFromArrays', () => {
  it('reads pixel_values [N, C, H, W] and a lone array of any name', () => {
    const input = modelInputFromArrays([f32('input', [3, 2, 4, 4])], vision, 'x.npy');
    expect(input.kind).toBe('image');
    expect(input.shape).toEqual([3, 2, 4, 4]);
  });

  it('reads input_ids with an attention_mask, or ids alone with an all-ones mask', () => {
    const ids = i64('input_ids', [2, 3], [1, 2, 3, 4, 0, 0]);
    const mask = i64('attention_mask', [2, 3], [1, 1, 1, 1, 0, 0]);
    const both = modelInputFromArrays([ids, mask], text, 'x.npz');
    expect(both.kind === 'text' && Array.from(both.mask)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(both.kind === 'text' && Array.from(both.ids)).toEqual([1, 2, 3, 4, 0, 0]);
    const alone = modelInputFromArrays([{ ...ids, name: 'input' }], text, 'x.npy');
    expect(alone.kind === 'text' && Array.from(alone.mask)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it.each([
    [
      'rank 3 pixels',
      [f32('p', [2, 4, 4])],
      /^x\.npy: pixel_values has shape \[2, 4, 4\], expected \[N, 2, 4, 4\]$/,
    ],
    [
      'wrong channels',
      [f32('p', [1, 3, 4, 4])],
      /pixel_values has shape \[1, 3, 4, 4\], expected \[N, 2, 4, 4\]/,
    ],
    [
      'no samples',
      [f32('p', [0, 2, 4, 4])],
      /pixel_values has shape \[0, 2, 4, 4\], expected \[N, 2, 4, 4\]/,
    ],
    [
      'integer pixels',
      [i64('p', [1, 2, 4, 4], new Array(32).fill(0))],
      /pixel_values has dtype int64, expected float32/,
    ],
    [
      'a stray entry',
      [f32('pixel_values', [1, 2, 4, 4]), f32('labels', [1])],
      /^x\.npy: entry "labels" is not a model input, expected pixel_values$/,
    ],
  ])('image input: %s', (_, arrays, message) => {
    expect(() => modelInputFromArrays(arrays as NamedArray[], vision, 'x.npy')).toThrow(message);
  });

  it('a NaN pixel is named with its index', () => {
    const pixels = f32('p', [2, 2, 4, 4]);
    (pixels.data as Float32Array)[1 * 32 + 1 * 16 + 2 * 4 + 3] = NaN;
    expect(() => modelInputFromArrays([pixels], vision, 'x.npy')).toThrow(
      'x.npy: pixel_values has a non-finite value (NaN) at [1, 1, 2, 3], expected finite numbers',
    );
  });

  it.each([
    [
      'rank 1 ids',
      [i64('ids', [3], [1, 2, 3])],
      /^x\.npz: input_ids has shape \[3\], expected \[N, T\]$/,
    ],
    [
      'too many tokens',
      [i64('ids', [1, 5], [1, 1, 1, 1, 1])],
      /input_ids has 5 tokens per row, expected at most 4/,
    ],
    ['float ids', [f32('ids', [1, 2], [1, 2])], /input_ids has dtype float32, expected integers/],
    [
      'an id past the vocabulary',
      [i64('ids', [1, 3], [1, 10, 2])],
      /input_ids has 10 at \[0, 1\], expected ids in \[0, 10\)/,
    ],
    ['a negative id', [i64('ids', [1, 3], [1, 2, -1])], /input_ids has -1 at \[0, 2\]/],
    [
      'a mask of another shape',
      [i64('input_ids', [1, 3], [1, 2, 3]), i64('attention_mask', [1, 2], [1, 1])],
      /attention_mask has shape \[1, 2\], expected \[1, 3\]/,
    ],
    [
      'a mask value of 2',
      [i64('input_ids', [1, 3], [1, 2, 3]), i64('attention_mask', [1, 3], [1, 2, 0])],
      /attention_mask has 2 at \[0, 1\], expected 0 \(padding\) or 1 \(token\)/,
    ],
    [
      'an all-padding row',
      [i64('input_ids', [2, 2], [1, 2, 3, 4]), i64('attention_mask', [2, 2], [1, 1, 0, 0])],
      /attention_mask row 1 is all 0, expected at least one token/,
    ],
    [
      'token type 1',
      [i64('input_ids', [1, 2], [1, 2]), i64('token_type_ids', [1, 2], [0, 1])],
      /token_type_ids has 1 at \[0, 1\], expected type 0 only/,
    ],
    ['a mask without ids', [i64('attention_mask', [1, 2], [1, 1])], /no "input_ids" array/],
    [
      'a stray entry',
      [i64('input_ids', [1, 2], [1, 2]), f32('pixel_values', [1])],
      /entry "pixel_values" is not a model input/,
    ],
  ])('text input: %s', (_, arrays, message) => {
    expect(() => modelInputFromArrays(arrays as NamedArray[], text, 'x.npz')).toThrow(message);
  });
});
