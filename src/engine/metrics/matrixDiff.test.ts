import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from './matrixDiff';

const ref = [
  [1, 0.5, null],
  [0.5, 1, null],
  [null, null, null],
];

describe('maxAbsDiff', () => {
  it('is the largest difference between matrices of one shape', () => {
    expect(maxAbsDiff(ref, ref)).toBe(0);
    const moved = ref.map((row) => [...row]);
    moved[1][0] = 0.25;
    expect(maxAbsDiff(moved, ref)).toBe(0.25);
  });

  it('refuses an empty or cut-short matrix instead of finding no difference', () => {
    expect(() => maxAbsDiff([], ref)).toThrow('matrix is 0×0, expected 3×3');
    expect(() => maxAbsDiff([[], [], []], ref)).toThrow('matrix is 3×0, expected 3×3');
    expect(() => maxAbsDiff(ref.slice(0, 2), ref)).toThrow('matrix is 2×3, expected 3×3');
    expect(() => maxAbsDiff([ref[0], ref[1].slice(0, 2), ref[2]], ref)).toThrow(
      'matrix is rows of 3,2,3, expected 3×3',
    );
  });

  it('refuses a number where the reference has null, and the other way round', () => {
    expect(() => maxAbsDiff([ref[0], ref[1], [null, null, 1]], ref)).toThrow(
      '[2][2] is 1, expected null',
    );
    expect(() => maxAbsDiff([[null, 0.5, null], ref[1], ref[2]], ref)).toThrow(
      '[0][0] is null, expected 1',
    );
  });
});
