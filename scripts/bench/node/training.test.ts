import { describe, expect, it } from 'vitest';
import { kernelShares, randomImageDataset } from './training';

describe('kernelShares', () => {
  it('sums calls and times per key, largest first, errors counted as 0 ms', () => {
    const k = (name: string, ms: number | { error: string }, shape = [2]) => ({
      name,
      kernelTimeMs: ms,
      inputShapes: [shape],
    });
    const kernels = [k('Add', 1), k('BatchMatMul', 5), k('Add', 2, [3]), k('Add', { error: 'x' })];
    expect(kernelShares(kernels)).toEqual([
      { kernel: 'BatchMatMul', calls: 1, ms: 5 },
      { kernel: 'Add', calls: 3, ms: 3 },
    ]);
    expect(
      kernelShares(kernels, (x) => `${x.name}${x.inputShapes[0]}`).map((s) => s.kernel),
    ).toEqual(['BatchMatMul2', 'Add3', 'Add2']);
  });
});

describe('randomImageDataset', () => {
  it('is MNIST-shaped, with pixels and labels in range', () => {
    const d = randomImageDataset(16, 1);
    expect(d.inputShape).toEqual([28, 28, 1]);
    expect(d.train.x).toHaveLength(16 * 784);
    expect(Math.max(...d.train.y)).toBeLessThan(10);
    expect(d.test.n).toBeGreaterThanOrEqual(64);
  });
});
