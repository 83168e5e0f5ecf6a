import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from './tf';
import { initNodeBackend } from './nodeBackend';

describe('wasm Identity', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('shares the input’s memory instead of copying it, and each side outlives the other', async () => {
    const backend = tf.backend();
    const x = tf.tensor1d([1, 2, 3]);
    const before = backend.numDataIds();
    const y = tf.clone(x);
    expect(backend.numDataIds()).toBe(before);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]);
    y.dispose();
    expect(backend.numDataIds()).toBe(before - 1);
  });

  it('keeps gradients through tensors a custom gradient saves', async () => {
    const f = tf.customGrad((a, save) => {
      (save as (t: tf.Tensor[]) => void)([a as tf.Tensor]);
      return {
        value: tf.square(a as tf.Tensor),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.mul(saved[0], 2)),
      };
    });
    const x = tf.tensor1d([1, -2, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(f(t) as tf.Tensor))(x);
    expect(Array.from(await g.data())).toEqual([2, -4, 6]);
    tf.dispose([x, g]);
  });
});
