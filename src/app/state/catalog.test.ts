import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../engine/apiTypes';
import { modelOptionLabel } from './catalog';

const model = (id: string, loss: ModelInfo['loss']): ModelInfo => ({
  id,
  title: `${id} title`,
  dataset: 'mnist',
  loss,
  numLayers: 2,
  hiddenSize: 4,
  numClasses: 3,
  kind: 'image',
  perLayerHeads: false,
  builtin: true,
  revision: 0,
});

describe('modelOptionLabel', () => {
  it('names a fine-tune by what it is, not by its id', () => {
    const tuned = {
      ...model('finetuned-1', 'aligned'),
      title: 'mnist-aligned → aligned, 200 steps, lr 1e-4',
      builtin: false,
    };
    expect(modelOptionLabel(tuned)).toBe('mnist-aligned → aligned, 200 steps, lr 1e-4');
  });

  it('names built-in models by id and marks the user’s own', () => {
    expect(modelOptionLabel(model('mnist-aligned', 'aligned'))).toBe('mnist-aligned');
    expect(modelOptionLabel({ ...model('user-vit', 'standard'), builtin: false })).toBe(
      'user-vit (yours)',
    );
  });
});
