import { describe, expect, it } from 'vitest';
import { layerWeights, learningRate } from './schedule';

describe('learning-rate schedule', () => {
  const s = { peak: 1e-3, warmupSteps: 10, totalSteps: 110, minRatio: 0.1 };
  it('warms up linearly, peaks, then follows the cosine to the floor', () => {
    expect(learningRate(0, s)).toBeCloseTo(1e-4, 12);
    expect(learningRate(9, s)).toBeCloseTo(1e-3, 12);
    expect(learningRate(10, s)).toBeCloseTo(1e-3, 12);
    expect(learningRate(60, s)).toBeCloseTo(1e-4 + 0.9e-3 * 0.5, 12); // halfway: cos(π/2) = 0
    expect(learningRate(110, s)).toBeCloseTo(1e-4, 12);
    expect(learningRate(500, s)).toBeCloseTo(1e-4, 12);
  });
});

describe('layer weights', () => {
  it('linear λ_l = 2l / (L(L+1)) sums to 1', () => {
    expect(layerWeights('linear', 4)).toEqual(
      [0.1, 0.2, 0.3, 0.4].map((v) => expect.closeTo(v, 12)),
    );
  });
  it('uniform λ_l = 1/L', () => {
    expect(layerWeights('uniform', 4)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
  it('custom lists are checked', () => {
    expect(layerWeights([0, 1, 2], 3)).toEqual([0, 1, 2]);
    expect(() => layerWeights([1, 2], 3)).toThrow('got 2 weights, expected one per layer (3)');
    expect(() => layerWeights([1, -1, 2], 3)).toThrow('weight 2 is -1, expected a number ≥ 0');
    expect(() => layerWeights([0, 0, 0], 3)).toThrow('all weights are 0');
  });
});
