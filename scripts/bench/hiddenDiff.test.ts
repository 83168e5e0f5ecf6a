import { describe, expect, it } from 'vitest';
import type { NamedArray } from '../../src/engine/io/dtypes';
import { hiddenStatesDifference, maxRelativeDifference } from './hiddenDiff';

const arr = (name: string, values: number[], shape = [values.length]): NamedArray => ({
  name,
  dtype: 'float32',
  shape,
  data: Float32Array.from(values),
});

describe('hiddenDiff', () => {
  it('divides by max(1, |reference|): absolute below 1, relative above', () => {
    expect(maxRelativeDifference([0.5, 100.5], [0.25, 100])).toBeCloseTo(0.25, 12);
    expect(maxRelativeDifference([10, 300], [0, 100])).toBe(10);
    expect(maxRelativeDifference([1, NaN], [1, 2])).toBe(Infinity);
    expect(() => maxRelativeDifference([1], [1, 2])).toThrow(/1 values against 2/);
  });

  it('takes the worst layer and leaves the logits out', () => {
    const ours = [arr('hidden_0', [1, 2]), arr('hidden_1', [3, 4]), arr('logits', [9])];
    const ref = [arr('hidden_0', [1, 2]), arr('hidden_1', [3, 5]), arr('logits', [0])];
    expect(hiddenStatesDifference(ours, ref)).toEqual({ maxRelDiff: 0.2, layers: 2 });
  });

  it('names a layer whose shape differs or is missing', () => {
    const ours = [arr('hidden_0', [1, 2], [1, 2])];
    expect(() => hiddenStatesDifference(ours, [arr('hidden_0', [1, 2], [2, 1])])).toThrow(
      /hidden_0 is \[1, 2\] here and \[2, 1\]/,
    );
    expect(() => hiddenStatesDifference(ours, [arr('hidden_1', [1, 2], [1, 2])])).toThrow(
      /hidden_0 .* missing/,
    );
    expect(() => hiddenStatesDifference(ours, [])).toThrow(/1 hidden_<l> arrays against 0/);
  });
});
