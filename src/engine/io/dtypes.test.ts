import { describe, expect, it } from 'vitest';
import {
  checkNamedArray,
  DATA_CONSTRUCTOR,
  DTYPES,
  elementCount,
  ITEM_SIZE,
  type NamedArray,
} from './dtypes';

describe('dtypes', () => {
  it('gives each dtype its item size and in-memory array', () => {
    for (const dtype of DTYPES) {
      const Ctor = DATA_CONSTRUCTOR[dtype] as unknown as { BYTES_PER_ELEMENT: number };
      // Held at least as wide as stored, except int64, which is narrowed to Int32Array.
      if (dtype !== 'int64')
        expect(Ctor.BYTES_PER_ELEMENT).toBeGreaterThanOrEqual(ITEM_SIZE[dtype]);
    }
    expect(ITEM_SIZE.int64).toBe(8);
    expect(DATA_CONSTRUCTOR.int64).toBe(Int32Array);
  });

  it('counts the elements of a shape, 1 for a scalar', () => {
    expect(elementCount([])).toBe(1);
    expect(elementCount([2, 3, 4])).toBe(24);
    expect(elementCount([5, 0])).toBe(0);
  });

  it('checks arrays handed to writers', () => {
    const ok: NamedArray = { name: 'a', dtype: 'float16', shape: [2], data: new Float32Array(2) };
    expect(() => checkNamedArray(ok, 'w')).not.toThrow();
    expect(() =>
      checkNamedArray({ ...ok, dtype: 'complex64' } as unknown as NamedArray, 'w'),
    ).toThrow('w: unknown dtype "complex64", expected one of float32');
    expect(() => checkNamedArray({ ...ok, shape: [1.5] }, 'w')).toThrow(
      'w: shape [1.5] must be a list of non-negative integers',
    );
    expect(() => checkNamedArray({ ...ok, shape: [3] }, 'w')).toThrow(
      'w: shape [3] holds 3 elements, data has 2',
    );
    expect(() => checkNamedArray({ ...ok, data: [0, 0] } as unknown as NamedArray, 'w')).toThrow(
      'w: float16 data must be a Float32Array, got Array',
    );
  });
});
