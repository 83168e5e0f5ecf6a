import { beforeEach, describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../engine/apiTypes';
import { DATASETS, MODELS, model } from '../effects/testing';
import { resolveSelection } from '../state/selection';
import { resetStrata, useStrata } from '../store';
import { modelChoicesFor, modelReadsUserDataset, modelsFor } from './userDatasetFit';
import { selectUserDataset } from './userDatasetSelection';

const user = (name: string, patch: Partial<DatasetInfo> = {}): DatasetInfo => ({
  ...DATASETS[0],
  name,
  title: `${name}.csv`,
  origin: 'user',
  fitsModelsOf: 'mnist',
  ...patch,
});

describe('user datasets and the models that read them', () => {
  beforeEach(() => resetStrata());

  it('lists the models of the fitting built-in dataset, same class count first', () => {
    const two = user('user-two', { classNames: ['x', 'y'] });
    const models = [...MODELS, { ...model('mnist-wide', 'aligned'), numClasses: 2 }];
    expect(modelsFor(two, models).map((m) => m.id)).toEqual([
      'mnist-wide',
      'mnist-standard',
      'mnist-aligned',
      'mnist-multihead',
    ]);
    expect(modelsFor(user('user-x', { fitsModelsOf: undefined }), MODELS)).toEqual([]);
    expect(modelReadsUserDataset([user('user-d')], 'user-d', MODELS[1])).toBe(true);
    expect(modelReadsUserDataset([user('user-d')], 'user-d', MODELS[3])).toBe(false);
    expect(modelReadsUserDataset(DATASETS, 'mnist', MODELS[3])).toBe(false);
  });

  it('offers the Model and A/B pickers the same models: a user dataset’s readers, else its own', () => {
    const datasets = [...DATASETS, user('user-d')];
    const ids = (name: string) => modelChoicesFor(datasets, MODELS, name).map((m) => m.id);
    expect(ids('user-d')).toEqual(modelsFor(user('user-d'), MODELS).map((m) => m.id));
    expect(ids('user-d')).toContain('mnist-aligned');
    expect(ids('mnist')).toEqual(MODELS.filter((m) => m.dataset === 'mnist').map((m) => m.id));
    expect(ids('nowhere')).toEqual([]);
  });

  it('keeps a user dataset through a catalogue refresh, with the model’s own A/B pair', () => {
    const asked = {
      modelId: 'mnist-aligned',
      dataset: 'user-d',
      compare: { a: 'mnist-standard', b: 'mnist-aligned' },
    };
    const datasets = [...DATASETS, user('user-d')];
    const reads = (name: string, m: (typeof MODELS)[number]) =>
      modelReadsUserDataset(datasets, name, m);
    expect(resolveSelection(asked, MODELS, reads)).toEqual({ selection: asked, notices: [] });
    // Without the hook (or with a model that cannot read it) the model's own dataset opens.
    expect(resolveSelection(asked, MODELS).selection.dataset).toBe('mnist');
  });

  it('selects a user dataset with a model that can read it, or says why none can', () => {
    const store = useStrata.getState();
    store.applyCatalog(MODELS, [
      ...DATASETS,
      user('user-d'),
      user('user-t', { kind: 'text', fitsModelsOf: undefined }),
    ]);
    useStrata.getState().selectModel('fashion-aligned');
    expect(selectUserDataset('user-d')).toBe(true);
    expect(useStrata.getState().config).toMatchObject({
      modelId: 'mnist-aligned',
      dataset: 'user-d',
      compare: { a: 'mnist-standard', b: 'mnist-aligned' },
    });
    expect(selectUserDataset('user-d', 'mnist-multihead')).toBe(true);
    expect(useStrata.getState().config.modelId).toBe('mnist-multihead');
    expect(selectUserDataset('user-t')).toBe(false);
    expect(useStrata.getState().config.dataset).toBe('user-d');
    expect(useStrata.getState().ui.alerts.at(-1)?.text).toMatch(
      /^user-t\.csv is listed, but no model here can read it: its texts were not encoded/,
    );
  });
});
