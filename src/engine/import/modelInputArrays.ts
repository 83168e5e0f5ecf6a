// The arrays of an input file (.npy / .npz), checked against a model before it reads them.
import { formatShape, type NamedArray } from '../io/dtypes';
import type { ModelConfig } from '../model/config';

/** A batch of model inputs in host memory, checked against the model's config. */
export type ModelInputArrays =
  | {
      kind: 'image';
      /** [N, C, H, W] */
      shape: [number, number, number, number];
      /** NCHW float32, row-major (transformers `pixel_values`). */
      pixels: Float32Array;
    }
  | {
      kind: 'text';
      /** [N, T] */
      shape: [number, number];
      /** Token ids in [0, vocabSize), row-major. */
      ids: Int32Array;
      /** 1 on real tokens, 0 on padding (all ones when the file has no attention_mask). */
      mask: Float32Array;
    };

const INTEGER_DTYPES: readonly string[] = ['int64', 'int32', 'int16', 'int8', 'uint8'];
const FLOAT_DTYPES: readonly string[] = ['float32', 'float64', 'float16', 'bfloat16'];

/** The multi-index of flat position `flat` in a row-major array of `shape`: `[1, 0, 3]`. */
function multiIndex(flat: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    index.unshift(flat % shape[k]);
    flat = Math.floor(flat / shape[k]);
  }
  return `[${index.join(', ')}]`;
}

/**
 * Picks the named arrays out of a file: a single array is the main one (whatever its name, as a
 * .npy is named after its file); several must all be among `allowed`.
 */
function pickArrays(
  arrays: readonly NamedArray[],
  main: string,
  allowed: readonly string[],
  file: string,
): Map<string, NamedArray> {
  if (arrays.length === 0) throw new Error(`${file}: holds no array, expected ${main}`);
  if (arrays.length === 1 && !allowed.slice(1).includes(arrays[0].name)) {
    return new Map([[main, arrays[0]]]);
  }
  const byName = new Map(arrays.map((a) => [a.name, a]));
  for (const name of byName.keys()) {
    if (!allowed.includes(name)) {
      throw new Error(
        `${file}: entry "${name}" is not a model input, expected ${allowed.join(', ')}`,
      );
    }
  }
  if (!byName.has(main))
    throw new Error(`${file}: no "${main}" array, expected one beside ${[...byName.keys()]}`);
  return byName;
}

function checkShape(
  array: NamedArray,
  label: string,
  expected: readonly (number | string)[],
  file: string,
): void {
  const ok =
    array.shape.length === expected.length &&
    array.shape.every((n, i) => (typeof expected[i] === 'number' ? n === expected[i] : n >= 1));
  if (!ok) {
    throw new Error(
      `${file}: ${label} has shape ${formatShape(array.shape)}, expected [${expected.join(', ')}]`,
    );
  }
}

function imageInput(arrays: readonly NamedArray[], config: ModelConfig, file: string) {
  if (config.architecture !== 'vit') throw new Error('imageInput: not a vision model');
  const pixels = pickArrays(arrays, 'pixel_values', ['pixel_values'], file).get('pixel_values')!;
  const { numChannels: c, imageSize: s } = config;
  checkShape(pixels, 'pixel_values', ['N', c, s, s], file);
  if (!FLOAT_DTYPES.includes(pixels.dtype)) {
    throw new Error(`${file}: pixel_values has dtype ${pixels.dtype}, expected float32`);
  }
  const bad = pixels.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new Error(
      `${file}: pixel_values has a non-finite value (${pixels.data[bad]}) at ${multiIndex(bad, pixels.shape)}, expected finite numbers`,
    );
  }
  const shape = pixels.shape as [number, number, number, number];
  return { kind: 'image' as const, shape, pixels: Float32Array.from(pixels.data) };
}

/** Checks an integer [N, T] array's dtype and that every value lies in [min, max]. */
function integerValues(
  array: NamedArray,
  label: string,
  [min, max]: [number, number],
  why: string,
  file: string,
): void {
  if (!INTEGER_DTYPES.includes(array.dtype) && !(label !== 'input_ids' && array.dtype === 'bool')) {
    throw new Error(
      `${file}: ${label} has dtype ${array.dtype}, expected integers (int64 or int32)`,
    );
  }
  const bad = array.data.findIndex((v) => v < min || v > max);
  if (bad >= 0) {
    throw new Error(
      `${file}: ${label} has ${array.data[bad]} at ${multiIndex(bad, array.shape)}, expected ${why}`,
    );
  }
}

function textInput(arrays: readonly NamedArray[], config: ModelConfig, file: string) {
  if (config.architecture !== 'text') throw new Error('textInput: not a text model');
  const allowed = ['input_ids', 'attention_mask', 'token_type_ids'];
  const picked = pickArrays(arrays, 'input_ids', allowed, file);
  const ids = picked.get('input_ids')!;
  if (ids.shape.length !== 2 || ids.shape[0] < 1 || ids.shape[1] < 1) {
    throw new Error(`${file}: input_ids has shape ${formatShape(ids.shape)}, expected [N, T]`);
  }
  const [n, t] = ids.shape;
  if (t > config.maxLength) {
    throw new Error(
      `${file}: input_ids has ${t} tokens per row, expected at most ${config.maxLength} (the model's positions)`,
    );
  }
  const { vocabSize: v } = config;
  integerValues(ids, 'input_ids', [0, v - 1], `ids in [0, ${v}) (vocab_size ${v})`, file);
  const types = picked.get('token_type_ids');
  if (types) {
    checkShape(types, 'token_type_ids', [n, t], file);
    const why = 'type 0 only (the import folds token type 0 into the positions)';
    integerValues(types, 'token_type_ids', [0, 0], why, file);
  }
  const mask = new Float32Array(n * t).fill(1);
  const maskArray = picked.get('attention_mask');
  if (maskArray) {
    checkShape(maskArray, 'attention_mask', [n, t], file);
    integerValues(maskArray, 'attention_mask', [0, 1], '0 (padding) or 1 (token)', file);
    mask.set(maskArray.data);
    for (let row = 0; row < n; row++) {
      if (!mask.subarray(row * t, (row + 1) * t).some((x) => x === 1)) {
        throw new Error(`${file}: attention_mask row ${row} is all 0, expected at least one token`);
      }
    }
  }
  return {
    kind: 'text' as const,
    shape: [n, t] as [number, number],
    ids: Int32Array.from(ids.data),
    mask,
  };
}

/**
 * Checks the arrays of an input file against `config` and returns them ready for the model:
 * a vision model reads `pixel_values` [N, C, H, W] (float, finite); a text model reads
 * `input_ids` [N, T] (integers in [0, vocabSize), T ≤ maxLength) with an optional
 * `attention_mask` of 0/1 and optional all-zero `token_type_ids`. A lone array is the main
 * input whatever its name. Errors name `file`, the array, the place and what was expected.
 */
export function modelInputFromArrays(
  arrays: readonly NamedArray[],
  config: ModelConfig,
  file: string,
): ModelInputArrays {
  return config.architecture === 'vit'
    ? imageInput(arrays, config, file)
    : textInput(arrays, config, file);
}
