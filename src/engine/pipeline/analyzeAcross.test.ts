import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import fixtures from '../metrics/fixtures/cross.json';
import { memoryLayerRows } from '../metrics/layerRows';
import { maxAbsDiff } from '../metrics/testing';
import { analyzeAcross } from './analyzeAcross';

const set = fixtures.sets[0];
const rows = (side: 'a' | 'b') =>
  memoryLayerRows(
    set[side].layers.map((flat, l) => ({
      name: `${side}${l}`,
      n: set.n,
      d: set[side].widths[l],
      data: Float32Array.from(flat),
    })),
  );

describe('analyzeAcross', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it.each(['device', 'streamed'] as const)(
    'gives rows A × columns B on the %s path, freeing every tensor',
    async (path) => {
      const before = tf.memory().numTensors;
      const report = await analyzeAcross(
        rows('a'),
        rows('b'),
        ['cka', 'procrustes', 'svcca', 'knn'],
        {
          path,
          knnK: set.knnK,
        },
      );
      expect(tf.memory().numTensors).toBe(before);
      expect(report.layers).toEqual(['a0', 'a1', 'a2', 'a3']);
      expect(report.versusLayers).toEqual(['b0', 'b1', 'b2']);
      expect(maxAbsDiff(report.metrics.cka!, set.across.cka)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics.procrustes!, set.across.procrustes)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics.svcca!, set.across.svcca)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics.knn!, set.across.knn)).toBeLessThan(1e-2);
    },
  );
});
