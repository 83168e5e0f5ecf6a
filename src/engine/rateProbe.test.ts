import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from './nodeBackend';
import { probeFlops, probeMatmulRate, PROBE_SHAPE } from './rateProbe';
import { tf } from './tf';

describe('the matmul rate probe', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('divides the timed products’ FLOPs by the clock’s time, and keeps no tensor', async () => {
    expect(probeFlops()).toBe(2 * PROBE_SHAPE.m * PROBE_SHAPE.k * PROBE_SHAPE.n);
    // A clock that moves 10 ms a reading: products until 25 ms have passed (3 of them, 30 ms).
    let t = 0;
    const before = tf.memory().numTensors;
    const rate = await probeMatmulRate(() => (t += 10));
    expect(rate).toEqual({ reps: 3, ms: 30, flopsPerSecond: (3 * probeFlops()) / 0.03 });
    expect(tf.memory().numTensors).toBe(before);
    // A clock that never moves: at most 8 products, and no rate.
    expect(await probeMatmulRate(() => 0)).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('measures a plausible rate on wasm, and the started backend carries it', async () => {
    const info = await initNodeBackend('wasm');
    expect(info.matmul?.reps).toBeGreaterThan(0);
    // Between a plain-JS backend's 0.1 GFLOP/s and a GPU's 100 TFLOP/s.
    expect(info.matmul!.flopsPerSecond).toBeGreaterThan(1e8);
    expect(info.matmul!.flopsPerSecond).toBeLessThan(1e14);
  });
});
