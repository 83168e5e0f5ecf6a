import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { matMul } from './matmul';

const fill = (shape: number[], seed: number) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((p, d) => p * d) }, (_, i) => Math.sin(i * seed)),
    shape,
  );

describe('matMul’s gradient', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  for (const [label, aShape, bShape] of [
    ['batched (attention)', [2, 3, 17, 16], [2, 3, 16, 17]],
    ['2-D (linear layers)', [34, 16], [16, 5]],
  ] as const)
    it(`equals tfjs’s own for ${label} operands`, async () => {
      const a = fill([...aShape], 0.7);
      const b = fill([...bShape], 1.3);
      const w = fill([...aShape.slice(0, -1), bShape[bShape.length - 1]], 0.9);
      const loss = (f: (x: Tensor, y: Tensor) => Tensor) => (x: Tensor, y: Tensor) =>
        tf.sum(tf.mul(f(x, y), w));
      const got = tf.grads(loss(matMul))([a, b]);
      const want = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
      for (let i = 0; i < 2; i++) {
        expect(got[i].shape).toEqual(want[i].shape);
        const [g, r] = [await got[i].data(), await want[i].data()];
        let worst = 0;
        for (let j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[j] - r[j]));
        expect(worst).toBeLessThan(1e-4);
      }
      tf.dispose([a, b, w, ...got, ...want]);
    });

  for (const [label, aShape, bShape] of [
    ['batched operands (attention)', [2, 3, 17, 16], [2, 3, 16, 17]],
    ['2-D operands (linear layers)', [34, 16], [16, 5]],
  ] as const)
    it(`transposes nothing for ${label}: the products read them in place`, async () => {
      const a = fill([...aShape], 0.7);
      const b = fill([...bShape], 1.3);
      const info = await tf.profile(() =>
        tf.grads((x: Tensor, y: Tensor) => tf.sum(matMul(x, y)))([a, b]),
      );
      const names = info.kernels.map((k) => k.name);
      expect(names.filter((n) => n === 'BatchMatMul')).toHaveLength(3); // forward + 2 gradients
      expect(names).not.toContain('Transpose');
      tf.dispose([a, b]);
      tf.dispose(info.result as Tensor[]);
    });

  it('gives a linear layer’s gradients as a float64 reference, over more than one k panel', async () => {
    const [n, inDim, outDim] = [300, 16, 12]; // dW = xᵀ·r sums 300 rows: two panels of the kernel
    const [x, w, r] = [fill([n, inDim], 0.7), fill([inDim, outDim], 1.3), fill([n, outDim], 0.9)];
    const [xv, wv, rv] = [await x.data(), await w.data(), await r.data()];
    const [dx, dw] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(matMul(a, b), r)))([x, w]);
    const [dxv, dwv] = [await dx.data(), await dw.data()];
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < inDim; j++) {
        let want = 0; // dx = r·wᵀ
        for (let o = 0; o < outDim; o++) want += rv[i * outDim + o] * wv[j * outDim + o];
        worst = Math.max(worst, Math.abs(dxv[i * inDim + j] - want));
      }
    for (let j = 0; j < inDim; j++)
      for (let o = 0; o < outDim; o++) {
        let want = 0; // dw = xᵀ·r
        for (let i = 0; i < n; i++) want += xv[i * inDim + j] * rv[i * outDim + o];
        worst = Math.max(worst, Math.abs(dwv[j * outDim + o] - want) / Math.max(1, Math.abs(want)));
      }
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([x, w, r, dx, dw]);
  });
});
