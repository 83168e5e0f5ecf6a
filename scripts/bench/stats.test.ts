import { describe, expect, it } from 'vitest';
import { maxAbsDifference, median, MIN_REPS, slope, summarize, timeRepeated } from './stats';

describe('median and summarize', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('reports min, max and half the range over the median', () => {
    const t = summarize([10, 12, 14]);
    expect(t).toMatchObject({ median: 12, min: 10, max: 14 });
    expect(t.spread).toBeCloseTo(4 / 24);
  });
});

describe('timeRepeated', () => {
  it('runs the warm-ups untimed, then the timed repetitions', async () => {
    let calls = 0;
    const t = await timeRepeated(async () => void calls++, { warmup: 2, reps: 4 });
    expect(calls).toBe(6);
    expect(t.times).toHaveLength(4);
  });

  it('stops at MIN_REPS once the time budget is spent', async () => {
    let calls = 0;
    const slow = () => new Promise((r) => setTimeout(r, 5)).then(() => calls++);
    const t = await timeRepeated(slow, { warmup: 0, reps: 50, budgetMs: 1 });
    expect(t.times).toHaveLength(MIN_REPS);
    expect(calls).toBe(MIN_REPS);
  });

  it('refuses zero repetitions', async () => {
    await expect(timeRepeated(async () => {}, { warmup: 0, reps: 0 })).rejects.toThrow(/reps is 0/);
  });
});

describe('maxAbsDifference', () => {
  it('finds the largest entry-wise difference, with nulls in the same places', () => {
    expect(
      maxAbsDifference(
        [
          [1, null],
          [0.5, 2],
        ],
        [
          [1.25, null],
          [0.5, 1.5],
        ],
      ),
    ).toBe(0.5);
  });

  it('is infinite when a null meets a number, and throws on a shape mismatch', () => {
    expect(maxAbsDifference([[null]], [[1]])).toBe(Infinity);
    expect(() => maxAbsDifference([[1]], [[1], [2]])).toThrow(/1 rows against 2/);
  });
});

describe('slope', () => {
  it('is the least-squares slope of a line, also with noise around it', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2);
    expect(slope([0, 1, 2, 3], [1, 3.1, 4.9, 7])).toBeCloseTo(1.98);
    expect(slope([5], [1])).toBe(0);
  });
});
