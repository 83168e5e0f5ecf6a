import { describe, expect, it } from 'vitest';
import { MODELS, model } from '../effects/testing';
import { preferredModelOf, resolveSelection } from './selection';

const none = { modelId: null, dataset: null, compare: { a: null, b: null } };

describe('resolveSelection', () => {
  it('opens mnist-aligned and its standard/aligned pair when nothing is asked, quietly', () => {
    expect(resolveSelection(none, MODELS)).toEqual({
      selection: {
        modelId: 'mnist-aligned',
        dataset: 'mnist',
        compare: { a: 'mnist-standard', b: 'mnist-aligned' },
      },
      notices: [],
    });
  });

  it('keeps a listed model, its dataset and a listed pair of that dataset', () => {
    const asked = {
      modelId: 'mnist-multihead',
      dataset: 'mnist',
      compare: { a: 'mnist-aligned', b: 'mnist-multihead' },
    };
    expect(resolveSelection(asked, MODELS)).toEqual({ selection: asked, notices: [] });
  });

  it('falls back to the asked dataset’s preferred model before the page default', () => {
    const { selection, notices } = resolveSelection(
      { ...none, modelId: 'gone', dataset: 'fashion' },
      MODELS,
    );
    expect(selection.modelId).toBe('fashion-aligned');
    expect(notices).toEqual(['Model "gone" is not available; opened fashion-aligned instead.']);
  });

  it('replaces checkpoints of another dataset, or unlisted ones, naming each', () => {
    const { selection, notices } = resolveSelection(
      { modelId: 'mnist-aligned', dataset: 'mnist', compare: { a: 'fashion-aligned', b: 'x' } },
      MODELS,
    );
    expect(selection.compare).toEqual({ a: 'mnist-standard', b: 'mnist-aligned' });
    expect(notices).toHaveLength(2);
  });

  it('selects nothing from an empty list', () => {
    expect(resolveSelection({ ...none, modelId: 'a' }, []).selection).toEqual(none);
  });

  it('prefers <dataset>-aligned, then any aligned model, then the first', () => {
    const list = [model('t-x', 'standard', 't'), model('t-y', 'aligned', 't')];
    expect(preferredModelOf(list, 't')?.id).toBe('t-y');
    expect(preferredModelOf([list[0]], 't')?.id).toBe('t-x');
    expect(preferredModelOf(list, 'u')).toBeNull();
  });
});
