import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from './nodeBackend';
import { probeFlops, probeMatmulRate, PROBE_SHAPE } from './rateProbe';
import { tf } from './tf';

describe('the matmul rate probe', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('divides the timed products’ FLOPs by the clock’s time, and keeps no tensor', async () => {
    expect(probeFlops(64)).toBe(2 * 64 * PROBE_SHAPE.k * PROBE_SHAPE.n);
    const before = tf.memory().numTensors;
    // 10 ms a product: long enough at the first size; products until 25 ms (3 of them, 30 ms).
    let t = 0;
    expect(await probeMatmulRate(() => (t += 10))).toEqual({
      rows: 64,
      reps: 3,
      ms: 30,
      flopsPerSecond: (3 * probeFlops(64)) / 0.03,
    });
    // 1 ms a product at 64 and 256 rows (a GPU's latency: 9 readings a size), 10 ms at 1,024.
    let readings = 0;
    t = 0;
    expect(await probeMatmulRate(() => (t += ++readings <= 18 ? 1 : 10))).toEqual({
      rows: 1024,
      reps: 3,
      ms: 30,
      flopsPerSecond: (3 * probeFlops(1024)) / 0.03,
    });
    // A clock that never moves: no rate.
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
