import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { initNodeBackend } from './nodeBackend';

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
});
