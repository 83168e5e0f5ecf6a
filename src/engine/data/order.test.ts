import { describe, expect, it } from 'vitest';
import { sampleIndices, seededBatches, seededOrder } from './order';

describe('seeded order and samples', () => {
  it('is a permutation that repeats with its seed', () => {
    const a = seededOrder(1000, 7);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(seededOrder(1000, 7)).toEqual(a);
    expect(seededOrder(1000, '7')).toEqual(a);
    expect(seededOrder(1000, 8)).not.toEqual(a);
    // A regression pin: training data order depends on it, so a change must be deliberate.
    expect(Array.from(seededOrder(10, 42))).toEqual([0, 2, 9, 5, 1, 8, 4, 3, 7, 6]);
  });

  it('samples are prefixes of the order, distinct and in range', () => {
    const order = seededOrder(500, 'x');
    const s = sampleIndices(500, 37, 'x');
    expect(s).toEqual(order.slice(0, 37));
    expect(new Set(s).size).toBe(37);
    expect(sampleIndices(5, 0, 1)).toHaveLength(0);
    expect(seededOrder(0, 1)).toHaveLength(0);
    expect(Array.from(seededOrder(1, 1))).toEqual([0]);
  });

  it('puts each index first about equally often (uniform shuffle)', () => {
    const n = 5;
    const trials = 5000;
    const first = new Array<number>(n).fill(0);
    for (let s = 0; s < trials; s++) first[seededOrder(n, s)[0]]++;
    // Binomial sd = sqrt(5000 · 0.2 · 0.8) ≈ 28; 5 sd either side of 1000.
    for (const c of first) expect(Math.abs(c - trials / n)).toBeLessThan(140);
  });

  it('rejects impossible requests', () => {
    expect(() => sampleIndices(10, 11, 1)).toThrow(
      /sampleIndices: count 11, expected an integer in \[0, n = 10\]/,
    );
    expect(() => seededOrder(-1, 1)).toThrow(/seededOrder: n -1/);
    expect(() => seededOrder(2.5, 1)).toThrow(/n 2.5/);
  });
});

describe('seeded batches', () => {
  it("walk each epoch's own seeded order a batch at a time, dropping the partial batch", () => {
    const batches = seededBatches(10, 3, 7); // 3 batches an epoch, row 10's leftover dropped
    const epoch0 = seededOrder(10, '7:0');
    const epoch1 = seededOrder(10, '7:1');
    expect(Array.from(batches(0))).toEqual(Array.from(epoch0.subarray(0, 3)));
    expect(Array.from(batches(2))).toEqual(Array.from(epoch0.subarray(6, 9)));
    expect(Array.from(batches(3))).toEqual(Array.from(epoch1.subarray(0, 3)));
    // A function of the step alone: going back to epoch 0 gives its rows again.
    expect(Array.from(batches(1))).toEqual(Array.from(epoch0.subarray(3, 6)));
    expect(Array.from(seededBatches(10, 3, 7)(4))).toEqual(Array.from(epoch1.subarray(3, 6)));
  });
});
