import { beforeEach, describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../engine/apiTypes';
import { DATASETS, MODELS, model } from '../effects/testing';
import { resolveSelection } from '../state/selection';
import { resetStrata, useStrata } from '../store';
import { headMismatch, modelChoicesFor, modelReadsUserDataset, modelsFor } from './userDatasetFit';
import { exitQuery } from '../effects/exitEffects';
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

  it('a head of other classes than the dataset: named, and no early-exit sweep is asked for', () => {
    // The test models have 3-class heads; this dataset names 2 classes.
    const two = user('user-two', { classNames: ['a', 'b'] });
    const datasets = [...DATASETS, two];
    expect(headMismatch(MODELS, datasets, 'mnist-aligned', 'user-two')).toBe(
      "mnist-aligned's head has 3 classes, user-two.csv has 2; fine-tuning on it starts a head for its classes",
    );
    expect(headMismatch(MODELS, datasets, 'mnist-aligned', 'mnist')).toBeNull();
    expect(
      headMismatch(MODELS, [...DATASETS, user('user-d')], 'mnist-aligned', 'user-d'),
    ).toBeNull();
    const state = useStrata.getState();
    const ask = (dataset: string, list: typeof datasets) =>
      exitQuery({
        config: { ...state.config, modelId: 'mnist-aligned', dataset },
        results: { ...state.results, models: MODELS, datasets: list },
      });
    expect(ask('user-two', datasets)).toBeNull();
    expect(ask('mnist', datasets)?.shared.modelId).toBe('mnist-aligned');
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
