import { describe, expect, it } from 'vitest';
import { inverseUpperOfCholesky, varianceCount } from './layerBasis';
import { singularValues, symmetricEigen } from './symmetricEigen';

/** A seeded symmetric n×n matrix with entries in [−0.5, 0.5). */
function symmetric(n: number, seed: number): Float64Array {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rand();
  return a;
}

describe('symmetricEigen', () => {
  it.each([1, 2, 3, 8, 41, 120])('A V = V Λ and VᵀV = I, values largest first (n = %i)', (n) => {
    const a = symmetric(n, n + 3);
    const { values, vectors } = symmetricEigen(a, n);
    const v = vectors!;
    let residual = 0;
    let orthogonality = 0;
    for (let j = 0; j < n; j++) {
      if (j > 0) expect(values[j]).toBeLessThanOrEqual(values[j - 1]);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += a[i * n + k] * v[k * n + j];
        residual = Math.max(residual, Math.abs(av - values[j] * v[i * n + j]));
      }
      for (let q = 0; q < n; q++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += v[k * n + j] * v[k * n + q];
        orthogonality = Math.max(orthogonality, Math.abs(dot - (j === q ? 1 : 0)));
      }
    }
    expect(residual).toBeLessThan(1e-12);
    expect(orthogonality).toBeLessThan(1e-12);
    const only = symmetricEigen(a, n, false);
    expect(only.vectors).toBeUndefined();
    only.values.forEach((x, i) => expect(x).toBeCloseTo(values[i], 12));
  });

  it('gives the known spectrum of a 3×3 matrix, repeated eigenvalue included', () => {
    // [[2,1,1],[1,2,1],[1,1,2]] = I + 11ᵀ: eigenvalues 4, 1, 1.
    const { values } = symmetricEigen([2, 1, 1, 1, 2, 1, 1, 1, 2], 3);
    expect(Array.from(values).map((x) => +x.toFixed(12))).toEqual([4, 1, 1]);
  });

  it('refuses a buffer that is not n×n, naming both', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(/got 3 values, expected 2×2 = 4/);
  });
});

describe('singularValues', () => {
  it('of [[3, 0], [4, 5]] are 3√5 and √5, either orientation', () => {
    const tall = singularValues([3, 0, 4, 5, 0, 0], 3, 2);
    const wide = singularValues([3, 4, 0, 0, 5, 0], 2, 3);
    for (const s of [tall, wide]) {
      expect(s[0]).toBeCloseTo(3 * Math.sqrt(5), 12);
      expect(s[1]).toBeCloseTo(Math.sqrt(5), 12);
    }
  });
});

describe('layer basis helpers', () => {
  it('varianceCount: the smallest k holding the share', () => {
    expect(varianceCount([90, 9, 0.9, 0.1], 0.99)).toBe(2);
    expect(varianceCount([90, 8.9, 1, 0.1], 0.99)).toBe(3);
    expect(varianceCount([1], 0.99)).toBe(1);
  });

  it('inverseUpperOfCholesky: (Lᵀ)⁻¹ with LLᵀ = G, so (Lᵀ)⁻ᵀ G (Lᵀ)⁻¹ = I', () => {
    const g = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const r = inverseUpperOfCholesky(g, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let p = 0; p < 3; p++)
          for (let q = 0; q < 3; q++) s += r[p * 3 + i] * g[p * 3 + q] * r[q * 3 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });
});
