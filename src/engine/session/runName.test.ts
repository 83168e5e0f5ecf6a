import { describe, expect, it } from 'vitest';
import type { TrainRequest } from '../apiTypes';
import { fineTuneName, formatLearningRate, uniqueName } from './runName';

const base = { id: 'mnist-aligned', title: 'MNIST ViT, aligned' };
const request: Pick<TrainRequest, 'loss' | 'weighting' | 'steps' | 'lr' | 'seed'> = {
  loss: 'aligned',
  weighting: 'linear',
  steps: 200,
  lr: 1e-4,
  seed: 0,
};

describe('fine-tune names', () => {
  it('names the defaults by base, loss, steps and learning rate', () => {
    expect(fineTuneName(base, request)).toBe('mnist-aligned → aligned, 200 steps, lr 1e-4');
  });

  it('adds what differs from the defaults: weights, seed, a new head', () => {
    expect(fineTuneName(base, { ...request, weighting: 'uniform', seed: 3 })).toBe(
      'mnist-aligned → aligned (uniform weights), 200 steps, lr 1e-4, seed 3',
    );
    expect(fineTuneName(base, { ...request, weighting: [0.5, 0.5] }, 2)).toBe(
      'mnist-aligned → aligned (custom weights), 200 steps, lr 1e-4, new 2-class head',
    );
    // The standard loss has no layer weights to name.
    expect(fineTuneName(base, { ...request, loss: 'standard', weighting: 'uniform' })).toBe(
      'mnist-aligned → standard, 200 steps, lr 1e-4',
    );
    expect(fineTuneName(base, { ...request, loss: 'multihead', steps: 30, lr: 3e-3 })).toBe(
      'mnist-aligned → multi-head, 30 steps, lr 3e-3',
    );
  });

  it('a fine-tune of a fine-tune names its base by its name, not its id', () => {
    const first = { id: 'finetuned-1', title: fineTuneName(base, request) };
    expect(fineTuneName(first, { ...request, loss: 'standard', steps: 50 })).toBe(
      'mnist-aligned → aligned, 200 steps, lr 1e-4 → standard, 50 steps, lr 1e-4',
    );
  });

  it('counts one step as one', () => {
    expect(fineTuneName(base, { ...request, steps: 1 })).toBe(
      'mnist-aligned → aligned, 1 step, lr 1e-4',
    );
  });

  it('writes small learning rates as powers of ten', () => {
    expect([1e-4, 2.5e-4, 1e-3, 5e-4, 1e-6].map(formatLearningRate)).toEqual([
      '1e-4',
      '2.5e-4',
      '1e-3',
      '5e-4',
      '1e-6',
    ]);
    expect([0.01, 0.1, 1].map(formatLearningRate)).toEqual(['0.01', '0.1', '1']);
  });

  it('a name already listed gets the run number', () => {
    const name = fineTuneName(base, request);
    expect(uniqueName(name, ['mnist-aligned'], 2)).toBe(name);
    expect(uniqueName(name, [name], 2)).toBe(`${name} #2`);
  });
});
