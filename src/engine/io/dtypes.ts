/**
 * The element types the file formats carry, and the typed array each one is held in once read.
 *
 * | dtype      | bytes | held in      | conversion on read                                      |
 * |------------|-------|--------------|---------------------------------------------------------|
 * | float32    | 4     | Float32Array | none                                                    |
 * | float64    | 8     | Float64Array | none (callers that need float32 convert, e.g. layers.ts) |
 * | float16    | 2     | Float32Array | exact: every half value is a float32 value              |
 * | bfloat16   | 2     | Float32Array | exact: a bfloat16 is the upper half of a float32        |
 * | int32      | 4     | Int32Array   | none                                                    |
 * | int64      | 8     | Int32Array   | exact when every value is in int32 range, else an error |
 * | int16      | 2     | Int16Array   | none                                                    |
 * | int8       | 1     | Int8Array    | none                                                    |
 * | uint8      | 1     | Uint8Array   | none                                                    |
 * | bool       | 1     | Uint8Array   | any non-zero byte reads as 1                            |
 *
 * `dtype` always names the type in the file, so writing an array back gives the same bytes:
 * float16/bfloat16 are rounded to nearest (ties to even) from the Float32Array, int64 is the
 * sign-extended Int32Array.
 */
export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'int32'
  | 'int64'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

/** The typed array each dtype is held in (see the table above). */
export interface DTypeData {
  float32: Float32Array;
  float64: Float64Array;
  float16: Float32Array;
  bfloat16: Float32Array;
  int32: Int32Array;
  int64: Int32Array;
  int16: Int16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

export type ArrayData = DTypeData[DType];

/**
 * One named n-dimensional array in C (row-major) order: `data.length` is the product of `shape`
 * (1 for a scalar, shape `[]`). A union over dtypes, so `dtype` narrows the type of `data`.
 */
export type NamedArray = {
  [D in DType]: { name: string; dtype: D; shape: number[]; data: DTypeData[D] };
}[DType];

export const DTYPES: readonly DType[] = [
  'float32',
  'float64',
  'float16',
  'bfloat16',
  'int32',
  'int64',
  'int16',
  'int8',
  'uint8',
  'bool',
];

/** Bytes per element in a file. */
export const ITEM_SIZE: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int32: 4,
  int64: 8,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** The typed-array constructor that holds each dtype in memory. */
export const DATA_CONSTRUCTOR: Readonly<Record<DType, { readonly name: string }>> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Float32Array,
  bfloat16: Float32Array,
  int32: Int32Array,
  int64: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

/** Number of elements of a shape (1 for a scalar); the caller has checked the dimensions. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[4, 6]`: how shapes appear in messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Checks an array handed to a writer: a known dtype, its typed array, a shape of non-negative
 * integers whose product is `data.length`. `where` names the writer and the array in messages.
 */
export function checkNamedArray(array: NamedArray, where: string): void {
  const { dtype, shape, data } = array;
  if (!(DTYPES as readonly string[]).includes(dtype)) {
    throw new Error(
      `${where}: unknown dtype "${String(dtype)}", expected one of ${DTYPES.join(', ')}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(
      `${where}: shape ${JSON.stringify(shape)} must be a list of non-negative integers`,
    );
  }
  const expected = DATA_CONSTRUCTOR[dtype];
  if (!(data instanceof (expected as unknown as typeof Float32Array))) {
    const got =
      (data as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof data;
    throw new Error(`${where}: ${dtype} data must be a ${expected.name}, got ${got}`);
  }
  if (data.length !== elementCount(shape)) {
    throw new Error(
      `${where}: shape ${formatShape(shape)} holds ${elementCount(shape)} elements, data has ${data.length}`,
    );
  }
}
