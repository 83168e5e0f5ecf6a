import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor, Tensor3D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { prependToken } from './embeddings';

/** The kernels of the gradient of Σ prependToken(x, token) with respect to token. */
async function tokenGradient(batch: number): Promise<{ kernels: string[]; grad: Float32Array }> {
  const d = 8;
  const x = tf.ones([batch, 3, d]) as Tensor3D;
  const token = tf.reshape(tf.range(0, d), [1, 1, d]);
  let grad: Tensor | null = null;
  const profile = await tf.profile(() => {
    grad = tf.grad((t: Tensor) => tf.sum(prependToken(x, t)))(token);
    return grad;
  });
  const values = (await grad!.data()) as Float32Array;
  tf.dispose([x, token, grad!]);
  return { kernels: profile.kernels.map((k) => k.name), grad: values };
}

describe.each(['cpu', 'wasm'] as const)('prependToken on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('puts the token first in every sample', async () => {
    const x = tf.zeros([2, 2, 3]) as Tensor3D;
    const token = tf.tensor3d([[[1, 2, 3]]]);
    const y = prependToken(x, token);
    expect(y.shape).toEqual([2, 3, 3]);
    expect(Array.from(await y.data())).toEqual([
      1, 2, 3, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0,
    ]);
    tf.dispose([x, token, y]);
  });

  it('has a gradient of a fixed number of kernels whatever the batch (no slice per sample)', async () => {
    const small = await tokenGradient(2);
    const large = await tokenGradient(64);
    expect(Array.from(large.grad)).toEqual(new Array(8).fill(64));
    expect(Array.from(small.grad)).toEqual(new Array(8).fill(2));
    expect(large.kernels).not.toContain('Slice');
    expect(large.kernels.length).toBe(small.kernels.length);
  });
});
