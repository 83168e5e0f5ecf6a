import { describe, expect, it } from 'vitest';
import { averageRanks, metricAgreement } from './agreement';
import type { MetricMatrix } from './types';

/** A symmetric matrix from its upper triangle (row by row); the lower triangle gets junk. */
function fromUpper(upper: (number | null)[], k: number): MetricMatrix {
  const values: (number | null)[][] = Array.from({ length: k }, () => new Array(k).fill(99));
  let at = 0;
  for (let l = 0; l < k; l++) {
    values[l][l] = 1;
    for (let m = l + 1; m < k; m++) values[l][m] = upper[at++];
  }
  return { metric: 'cka', values, notes: [] };
}

describe('metric agreement', () => {
  it('matches a hand computation, skipping nulls and ignoring the diagonal and lower half', () => {
    // Pairs (0,1) (0,2) (0,3) (1,2) (1,3) (2,3); (0,3) is null in a, so 5 pairs remain:
    // a = [0.9, 0.5, 0.7, 0.3, 0.1], b = [0.8, 0.2, 0.8, 0.5, 0.2].
    const a = fromUpper([0.9, 0.5, null, 0.7, 0.3, 0.1], 4);
    const b = fromUpper([0.8, 0.2, 0.4, 0.8, 0.5, 0.2], 4);
    // Pearson: ā = 0.5, b̄ = 0.5; deviations a: .4 0 .2 −.2 −.4, b: .3 −.3 .3 0 −.3;
    // Σab = .12 + 0 + .06 + 0 + .12 = .30, Σa² = .40, Σb² = .36 → r = .30 / sqrt(.144).
    // Spearman: ranks a = 5 3 4 2 1; b (ties share) = 4.5 1.5 4.5 3 1.5, mean 3 each;
    // deviations a: 2 0 1 −1 −2, b: 1.5 −1.5 1.5 0 −1.5; Σ = 3 + 0 + 1.5 + 0 + 3 = 7.5,
    // Σa² = 10, Σb² = 9 → ρ = 7.5 / sqrt(90).
    const got = metricAgreement(a, b);
    expect(got.pairs).toBe(5);
    expect(got.pearson).toBeCloseTo(0.3 / Math.sqrt(0.144), 12);
    expect(got.spearman).toBeCloseTo(7.5 / Math.sqrt(90), 12);
  });

  it('gives average ranks to ties', () => {
    expect(averageRanks([10, 20, 10, 30, 20, 20])).toEqual([1.5, 4, 1.5, 6, 4, 4]);
  });

  it('is 1 for a monotone but non-linear relation in Spearman only', () => {
    const xs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.9];
    const got = metricAgreement(
      fromUpper(xs, 4),
      fromUpper(
        xs.map((x) => x ** 4),
        4,
      ),
    );
    expect(got.spearman).toBeCloseTo(1, 12);
    expect(got.pearson!).toBeLessThan(0.99);
  });

  it('is null, not NaN, when undefined', () => {
    const one = metricAgreement(fromUpper([0.5], 2), fromUpper([0.7], 2));
    expect(one).toEqual({ pearson: null, spearman: null, pairs: 1 });
    const flat = metricAgreement(fromUpper([0.5, 0.5, 0.5], 3), fromUpper([0.1, 0.2, 0.3], 3));
    expect(flat.pearson).toBeNull();
    expect(() => metricAgreement(fromUpper([0.5], 2), fromUpper([1, 2, 3], 3))).toThrow(
      'metric agreement: cka covers 2 layers but cka covers 3',
    );
  });
});
