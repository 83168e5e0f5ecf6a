import type { MetricMatrix } from './types';

/** How closely two similarity matrices over the same layers agree (claim 1 of docs/design.md). */
export interface MetricAgreement {
  /** Pearson correlation of the paired entries; null when undefined (under 2 pairs, or a constant side). */
  pearson: number | null;
  /** Spearman rank correlation (Pearson of average ranks, ties share their mean rank); null likewise. */
  spearman: number | null;
  /** Off-diagonal pairs l < m where both matrices have a value. */
  pairs: number;
}

/**
 * Pearson r = Σ(a−ā)(b−b̄) / sqrt(Σ(a−ā)² Σ(b−b̄)²), two-pass in float64; null when a
 * denominator is 0 or there are fewer than 2 values.
 */
export function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  if (n < 2) return null;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  if (saa === 0 || sbb === 0) return null;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/** Ranks 1..n; tied values all get the mean of the ranks they span (as scipy.stats.rankdata). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let i = start; i < end; i++) ranks[order[i]] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Agreement of two metrics over the same layers: Pearson and Spearman correlations of their
 * off-diagonal entries (upper triangle, l < m), skipping pairs where either is null. The
 * diagonal is left out because it is 1 by definition for CKA and carries no information.
 */
export function metricAgreement(a: MetricMatrix, b: MetricMatrix): MetricAgreement {
  const k = a.values.length;
  if (b.values.length !== k) {
    throw new Error(
      `metric agreement: ${a.metric} covers ${k} layers but ${b.metric} covers ${b.values.length}`,
    );
  }
  return cellAgreement(a.values, b.values, (l, m) => m > l);
}

/**
 * Pearson and Spearman correlations of two matrices over the cells `(l, m)` that `include` keeps
 * and where both have a value (null: undefined there).
 */
export function cellAgreement(
  a: readonly (readonly (number | null)[])[],
  b: readonly (readonly (number | null)[])[],
  include: (l: number, m: number) => boolean = () => true,
): MetricAgreement {
  const xs: number[] = [];
  const ys: number[] = [];
  a.forEach((row, l) =>
    row.forEach((x, m) => {
      const y = b[l][m];
      if (include(l, m) && x !== null && y !== null) {
        xs.push(x);
        ys.push(y);
      }
    }),
  );
  return {
    pearson: pearson(xs, ys),
    spearman: pearson(averageRanks(xs), averageRanks(ys)),
    pairs: xs.length,
  };
}
