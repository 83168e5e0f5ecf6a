// Procrustes, SVCCA and mutual k-NN against the float64 NumPy references of
// fixtures/make_cross_fixtures.py (LAPACK SVD and QR, a full N×N neighbour search), within one
// model and across two, on each Node backend; plus invariances and leaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { crossMeasureMatrices, CROSS_MEASURES } from './crossMeasures';
import { nearestNeighbours } from './mutualKnn';
import { checkSimilarityRequest } from './similarity';
import fixtures from './fixtures/cross.json';
import { maxAbsDiff, randomLayer, rotation, TEST_BACKENDS } from './testing';

type CrossSet = (typeof fixtures.sets)[number];
const SETS: CrossSet[] = fixtures.sets;
const TOL = { procrustes: 1e-4, svcca: 1e-4, knn: 1e-2 } as const;

const model = (set: CrossSet, side: 'a' | 'b'): Tensor2D[] =>
  set[side].layers.map((flat, l) => tf.tensor2d(flat, [set.n, set[side].widths[l]]));

/** Rows [0, la) × columns [la, la + lb) of a square matrix over A's layers then B's. */
const block = (values: (number | null)[][], la: number) =>
  values.slice(0, la).map((row) => row.slice(la));

describe.each(TEST_BACKENDS)('cross measures match NumPy on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  describe.each(SETS.map((s) => [s.name, s] as const))('%s', (_name, set) => {
    let a: Tensor2D[];
    let b: Tensor2D[];
    beforeAll(() => {
      a = model(set, 'a');
      b = model(set, 'b');
    });
    afterAll(() => [...a, ...b].forEach((x) => x.dispose()));

    it.each(CROSS_MEASURES.map((m) => [m] as const))('%s within A', async (metric) => {
      const got = await crossMeasureMatrices(a, [metric], { knnK: set.knnK });
      const diff = maxAbsDiff(got[metric]!.values, set.within[metric]);
      expect(diff).toBeLessThan(TOL[metric]);
    });

    it.each(CROSS_MEASURES.map((m) => [m] as const))('%s across A and B', async (metric) => {
      const la = a.length;
      const got = await crossMeasureMatrices([...a, ...b], [metric], {
        knnK: set.knnK,
        split: la,
      });
      const values = got[metric]!.values;
      const diff = maxAbsDiff(block(values, la), set.across[metric]);
      expect(diff).toBeLessThan(TOL[metric]);
      // Only the cross block is computed.
      expect(values[0][1]).toBeNull();
    });
  });
});

describe('cross measures: facts', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('are 1 for a layer against a rotated, scaled, shifted copy of itself', async () => {
    const x = randomLayer(80, 12, 3);
    const q = rotation(12, 5);
    const y = tf.tidy(() => tf.add(tf.mul(tf.matMul(x, q), 3.5), 2) as Tensor2D);
    const got = await crossMeasureMatrices([x, y], ['procrustes', 'svcca', 'knn']);
    expect(got.procrustes!.values[0][1]).toBeCloseTo(1, 4);
    expect(got.svcca!.values[0][1]).toBeCloseTo(1, 4);
    expect(got.knn!.values[0][1]).toBe(1);
    [x, q, y].forEach((t) => t.dispose());
  });

  it('SVCCA keeps only the 99 % directions: an added small independent direction is ignored', async () => {
    // y = [x, 0.001·z]: the extra column carries ~1e-6 of the variance, so k_Y = k_X.
    const x = randomLayer(200, 6, 7);
    const z = randomLayer(200, 1, 8);
    const y = tf.tidy(() => tf.concat([x, tf.mul(z, 0.001)], 1) as Tensor2D);
    const got = await crossMeasureMatrices([x, y], ['svcca', 'procrustes']);
    expect(got.svcca!.values[0][1]).toBeCloseTo(1, 4);
    expect(got.procrustes!.values[0][1]).toBeLessThan(1);
    [x, z, y].forEach((t) => t.dispose());
  });

  it('finds neighbours in blocks of rows: the same lists as in one block', async () => {
    const x = randomLayer(300, 5, 9);
    const whole = await nearestNeighbours(x, 4);
    const blocks = await nearestNeighbours(x, 4, undefined, 7 * 300); // 7 rows a block, 43 blocks
    expect(Array.from(blocks)).toEqual(Array.from(whole));
    for (let i = 0; i < 300; i++)
      expect(Array.from(whole.subarray(i * 4, i * 4 + 4))).not.toContain(i);
    x.dispose();
  });

  it('refuses k outside 1 … N − 1, naming k and N', async () => {
    const x = randomLayer(6, 3, 1);
    await expect(crossMeasureMatrices([x], ['knn'], { knnK: 6 })).rejects.toThrow(
      /mutual k-NN: k = 6 is not allowed with 6 samples, expected 1 … 5/,
    );
    x.dispose();
  });

  it('refuses a layer whose Gram side is above the eigen-solver bound, naming it', () => {
    expect(() => checkSimilarityRequest(2000, [64, 1500], ['svcca'])).toThrow(
      /SVCCA: layer_1 is 2000×1500; its Gram side min\(N, D\) = 1500 is above the 1024/,
    );
    expect(checkSimilarityRequest(2000, [64, 1024], ['procrustes'])).toEqual(['procrustes']);
  });

  it.each(TEST_BACKENDS)('leaves no tensor behind on %s', async (backend) => {
    await initNodeBackend(backend);
    const layers = [randomLayer(40, 8, 1), randomLayer(40, 50, 2), randomLayer(40, 8, 3)];
    const before = tf.memory().numTensors;
    await crossMeasureMatrices(layers, ['procrustes', 'svcca', 'knn'], { knnK: 3, split: 1 });
    await crossMeasureMatrices(layers, ['procrustes', 'svcca', 'knn'], { knnK: 3 });
    expect(tf.memory().numTensors).toBe(before);
    layers.forEach((x) => x.dispose());
  });
});
