import { describe, expect, it } from 'vitest';
import { median } from './median';

/** numpy.median by its definition: sort, take the middle or the mean of the two middle values. */
function sortedMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

describe('median', () => {
  it('matches numpy.median on small hand cases', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([0, 0, 0, 5])).toBe(0);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow('median: no values');
  });

  it('matches sorting on random data with many ties, odd and even counts', () => {
    let state = 42;
    const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const n of [2, 9, 100, 1001, 4096]) {
      const values = Array.from({ length: n }, () => (rand() < 0.3 ? 0 : Math.round(rand() * 50)));
      expect(median(values), `n = ${n}`).toBe(sortedMedian(values));
    }
  });
});
