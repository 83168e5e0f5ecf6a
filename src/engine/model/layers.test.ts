import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor3D, Tensor4D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { patchify } from './embeddings';
import { layerNorm } from './layers';
import { maxAbsDiff } from './fixtures/reference';

// Block-level maths (pre-LN ViTLayer, post-LN BertLayer, attention with padding) is checked
// against transformers itself in hfReference.test.ts; these are the pieces with their own layout.
describe.each(['cpu', 'wasm'] as const)('layers on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('patchify orders each patch (c, dy, dx) and the patches row by row, like Conv2d(kernel = stride = P)', async () => {
    const [b, c, size, p] = [2, 3, 6, 3];
    const pixels = Float32Array.from({ length: b * c * size * size }, (_, i) => i);
    const at = (n: number, ch: number, y: number, x: number) =>
      pixels[((n * c + ch) * size + y) * size + x];
    const expected: number[] = [];
    for (let n = 0; n < b; n++)
      for (let py = 0; py < size / p; py++)
        for (let px = 0; px < size / p; px++)
          for (let ch = 0; ch < c; ch++)
            for (let dy = 0; dy < p; dy++)
              for (let dx = 0; dx < p; dx++) expected.push(at(n, ch, py * p + dy, px * p + dx));
    const input = tf.tensor4d(pixels, [b, c, size, size]) as Tensor4D;
    const patches = patchify(input, p);
    expect(patches.shape).toEqual([b, 4, c * p * p]);
    expect(Array.from(await patches.data())).toEqual(expected);
    tf.dispose([input, patches]);
  });

  it('layerNorm normalises the last axis with the biased variance, then scales and shifts', async () => {
    const x = [
      [1, 2, 4, 9],
      [-3, 0, 0, 3],
    ];
    const gamma = [1, 2, 0.5, -1];
    const beta = [0, 0.1, 0, 1];
    const eps = 1e-5;
    const expected = x.flatMap((row) => {
      const mean = row.reduce((a, v) => a + v, 0) / row.length;
      const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
      return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[i] + beta[i]);
    });
    const weight = tf.variable(tf.tensor1d(gamma));
    const bias = tf.variable(tf.tensor1d(beta));
    const input = tf.tensor3d([x]) as Tensor3D;
    const y = tf.tidy(() => layerNorm(input, { weight, bias }, eps));
    expect(maxAbsDiff(await y.data(), expected)).toBeLessThan(1e-5);
    tf.dispose([weight, bias, input, y]);
  });
});
