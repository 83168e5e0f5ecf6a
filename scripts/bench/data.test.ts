import { describe, expect, it } from 'vitest';
import { normalSource, stackedLayers, syntheticLayers } from './data';

describe('normalSource', () => {
  it('repeats from a seed and gives standard normal moments', () => {
    const a = normalSource(7);
    const b = normalSource(7);
    const xs = Array.from({ length: 20000 }, a);
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, b));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
  });
});

describe('syntheticLayers', () => {
  it('follows h_l = 0.9 h_(l−1) + 0.45 z_l, so neighbours correlate more than distant layers', () => {
    const [h0, h1, h2] = [...syntheticLayers(3, 500, 8, 1)];
    // Correlation of the centred entries of two layers.
    const corr = (a: Float32Array, b: Float32Array) => {
      const centred = (x: Float32Array) => {
        const means = new Float64Array(8);
        x.forEach((v, i) => (means[i % 8] += v / 500));
        return Array.from(x, (v, i) => v - means[i % 8]);
      };
      const [p, q] = [centred(a), centred(b)];
      const dot = (u: number[], v: number[]) => u.reduce((s, x, i) => s + x * v[i], 0);
      return dot(p, q) / Math.sqrt(dot(p, p) * dot(q, q));
    };
    // Theory: corr(h0, h1) = 0.9 / sqrt(0.81 + 0.2025) ≈ 0.894; corr(h0, h2) ≈ 0.8.
    expect(corr(h0, h1)).toBeCloseTo(0.894, 1);
    expect(corr(h0, h2)).toBeLessThan(corr(h0, h1));
  });

  it('stacks the same layers into one [L, N, D] array', () => {
    const stacked = stackedLayers(3, 4, 2, 9);
    const layers = [...syntheticLayers(3, 4, 2, 9)];
    expect(Array.from(stacked.subarray(8, 16))).toEqual(Array.from(layers[1]));
  });
});
