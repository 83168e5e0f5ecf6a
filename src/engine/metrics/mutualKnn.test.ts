// Neighbour search of mutual k-NN against a float64 search written out here (every cosine,
// a full sort), and the candidate lists against a full sort, ties included.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { nearestNeighbours, neighbourCandidates } from './mutualKnn';
import { randomLayer, TEST_BACKENDS } from './testing';

/** Indices of `row` but `self`, by value descending then index ascending (a full sort). */
function sortedNearest(row: ArrayLike<number>, self: number, k: number): number[] {
  return Array.from(row, (v, j) => ({ v, j }))
    .filter(({ j }) => j !== self)
    .sort((a, b) => b.v - a.v || a.j - b.j)
    .slice(0, k)
    .map(({ j }) => j);
}

describe('neighbourCandidates', () => {
  it('keeps the k largest offered, largest first, ties to the lower index', () => {
    // Similarities come from float32 tensors: offered as float32 values.
    const row = Float32Array.from([0.5, 0.9, 0.5, 0.9, 0.1, 0.9, -1, 0.5]);
    const nearest = neighbourCandidates(3, 5);
    row.forEach((v, j) => nearest.offer(1, j, v));
    // Rows 0 and 2 get other offers: nothing of row 1 leaks into them, nor theirs into it.
    [3, 2, 1, 0, -1, -2].forEach((v, j) => nearest.offer(0, j + 1, v));
    [9, 9, 9, 9, 9].forEach((v, j) => nearest.offer(2, j, v));
    expect(Array.from(nearest.indices.subarray(5, 10))).toEqual([1, 3, 5, 0, 2]);
    expect(Array.from(nearest.indices.subarray(0, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(nearest.indices.subarray(10, 15))).toEqual([0, 1, 2, 3, 4]);
  });

  it('agrees with a full sort on random rows with many ties', () => {
    let state = 7;
    const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const k of [1, 3, 10, 39]) {
      for (let t = 0; t < 50; t++) {
        const row = Float32Array.from({ length: 40 }, () => Math.round(rand() * 8) / 8);
        const self = t % 40;
        const nearest = neighbourCandidates(1, k);
        row.forEach((v, j) => j !== self && nearest.offer(0, j, v));
        expect(Array.from(nearest.indices)).toEqual(sortedNearest(row, self, k));
      }
    }
  });
});

describe.each(TEST_BACKENDS)('nearestNeighbours on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('finds the neighbours of a float64 search over centred, normalised rows', async () => {
    const [n, d, k] = [120, 6, 7];
    const x = randomLayer(n, d, 3);
    const data = Array.from(await x.data());
    const means = Array.from({ length: d }, (_, c) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += data[i * d + c];
      return s / n;
    });
    const rows = Array.from({ length: n }, (_, i) => {
      const r = Array.from({ length: d }, (_, c) => data[i * d + c] - means[c]);
      const norm = Math.hypot(...r);
      return r.map((v) => v / norm);
    });
    const before = tf.memory().numTensors;
    const got = await nearestNeighbours(x, k, undefined, 13); // tiles of 13 rows, the last of 3
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < n; i++) {
      const cos = rows.map((r) => r.reduce((s, v, c) => s + v * rows[i][c], 0));
      const want = sortedNearest(cos, i, k + 1);
      // float32 may swap two neighbours whose cosines differ by rounding only.
      const gap = Math.abs(cos[want[k - 1]] - cos[want[k]]);
      const list = Array.from(got.subarray(i * k, (i + 1) * k));
      if (gap > 1e-5) expect(new Set(list)).toEqual(new Set(want.slice(0, k)));
      expect(list).not.toContain(i);
    }
    x.dispose();
  });
});
