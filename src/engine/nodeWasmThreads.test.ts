import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { initNodeBackend } from './nodeBackend';
import { simdBatchMatMulRuns } from './wasm/simdBatchMatMul';

// A file of its own: the threaded build, once started, is this process's wasm backend.
describe('wasm threads in Node', () => {
  it('starts the threaded build on worker_threads, and its products match the plain loop', async () => {
    const info = await initNodeBackend('wasm', true);
    expect(info.name).toBe('wasm');
    expect(info.threads).toBe(true);
    const [m, k, n] = [64, 96, 48];
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const c = tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n]));
    const got = await c.data();
    let worst = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += a[i * k + t] * b[t * n + j];
        worst = Math.max(worst, Math.abs(s - got[i * n + j]));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('runs Strata’s SIMD batched product on the threaded build’s shared memory', async () => {
    await initNodeBackend('wasm', true);
    const [batch, m, k, n] = [3, 17, 16, 17];
    const a = Float32Array.from({ length: batch * m * k }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: batch * n * k }, (_, i) => Math.cos(i));
    const runs = simdBatchMatMulRuns();
    const c = tf.matMul(tf.tensor3d(a, [batch, m, k]), tf.tensor3d(b, [batch, n, k]), false, true);
    expect(simdBatchMatMulRuns()).toBe(runs + 1);
    const got = await c.data();
    let worst = 0;
    for (let t = 0; t < batch; t++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let x = 0; x < k; x++) s += a[(t * m + i) * k + x] * b[(t * n + j) * k + x];
          worst = Math.max(worst, Math.abs(s - got[(t * m + i) * n + j]));
        }
    expect(worst).toBeLessThan(1e-4);
  });
});
