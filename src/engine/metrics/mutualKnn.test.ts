// Neighbour search of mutual k-NN against a float64 search written out here (every cosine,
// a full sort), ties with the sample itself included.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { dropSelf, nearestNeighbours } from './mutualKnn';
import { randomLayer, TEST_BACKENDS } from './testing';

/** Indices of `row` but `self`, by value descending then index ascending (a full sort). */
function sortedNearest(row: ArrayLike<number>, self: number, k: number): number[] {
  return Array.from(row, (v, j) => ({ v, j }))
    .filter(({ j }) => j !== self)
    .sort((a, b) => b.v - a.v || a.j - b.j)
    .slice(0, k)
    .map(({ j }) => j);
}

describe('dropSelf', () => {
  it('leaves the sample itself out where it stands, else the (k + 1)-th', () => {
    const picked = [7, 3, 9, 4, /* next row */ 2, 5, 8, 1];
    const out = new Int32Array(8).fill(-1);
    dropSelf(picked, 0, 3, 3, out, 1); // itself second: 7 9 4
    dropSelf(picked, 4, 3, 6, out, 4); // itself not there: the first three
    expect(Array.from(out)).toEqual([-1, 7, 9, 4, 2, 5, 8, -1]);
    dropSelf(picked, 0, 3, 4, out, 0); // itself last
    expect(Array.from(out.subarray(0, 3))).toEqual([7, 3, 9]);
  });
});

describe.each(TEST_BACKENDS)('neighbours with duplicate samples on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('never lists a sample as its own neighbour, even among equal rows', async () => {
    // Rows 0–5 are one vector: each has five others at cosine 1, tied with itself.
    const rows = [...Array(6).fill([1, 2, 3]), [3, 1, 0], [0, 1, 5], [-2, 0, 1], [1, -1, 1]];
    const x = tf.tensor2d(rows.flat(), [10, 3]);
    const k = 5;
    const got = await nearestNeighbours(x, k);
    for (let i = 0; i < 6; i++) {
      const list = Array.from(got.subarray(i * k, (i + 1) * k));
      expect(list).not.toContain(i);
      expect([...list].sort()).toEqual([0, 1, 2, 3, 4, 5].filter((j) => j !== i));
    }
    x.dispose();
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
    const got = await nearestNeighbours(x, k, undefined, 13 * n); // blocks of 13 rows
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
