import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tf } from './tf';
import { initNodeBackend } from './nodeBackend';

describe('wasm Slice and SplitV', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });
  afterEach(() => vi.restoreAllMocks());

  it('cut a flat vector into 50 parts without reading the whole input back once per part', async () => {
    const x = tf.range(0, 1000, 1, 'float32');
    const readSync = vi.spyOn(tf.backend(), 'readSync');
    const parts = tf.split(x, Array<number>(50).fill(20));
    expect(readSync).not.toHaveBeenCalled();
    expect(Array.from(await parts[7].data())).toEqual(
      Array.from({ length: 20 }, (_, i) => 140 + i),
    );
    tf.dispose([x, ...parts]);
  });

  it('copy a contiguous block of rows from the heap, int32 and bool too', async () => {
    const x = tf.tensor2d(
      Array.from({ length: 20 }, (_, i) => i),
      [4, 5],
      'int32',
    );
    const readSync = vi.spyOn(tf.backend(), 'readSync');
    const rows = tf.slice(x, [1, 0], [2, -1]);
    const inRow = tf.slice(x, [3, 1], [1, 3]);
    const flags = tf.slice(tf.tensor1d([true, false, true, true], 'bool'), [1], [2]);
    expect(readSync).not.toHaveBeenCalled();
    expect(rows.shape).toEqual([2, 5]);
    expect(Array.from(await rows.data())).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(Array.from(await inRow.data())).toEqual([16, 17, 18]);
    expect(Array.from(await flags.data())).toEqual([0, 1]);
    tf.dispose([x, rows, inRow, flags]);
  });

  it('leave strided slices and splits along inner axes to the backend, with the same values', async () => {
    const x = tf.tensor3d(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    const column = tf.slice(x, [0, 1, 0], [2, 1, 4]);
    const [left, right] = tf.split(x, [1, 3], 2);
    expect(Array.from(await column.data())).toEqual([4, 5, 6, 7, 16, 17, 18, 19]);
    expect(Array.from(await left.data())).toEqual([0, 4, 8, 12, 16, 20]);
    expect(right.shape).toEqual([2, 3, 3]);
    tf.dispose([x, column, left, right]);
  });

  it('keep the gradient of a split: each part’s gradient lands in its place', async () => {
    const x = tf.tensor1d([1, 2, 3, 4, 5]);
    const g = tf.grad((t: tf.Tensor) => {
      const [a, b] = tf.split(t as tf.Tensor1D, [2, 3]);
      return tf.add(tf.sum(tf.mul(a, 2)), tf.sum(tf.mul(b, 3)));
    })(x);
    expect(Array.from(await g.data())).toEqual([2, 2, 3, 3, 3]);
    tf.dispose([x, g]);
  });
});
