import { beforeEach, describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../engine/apiTypes';
import { DATASETS, MODELS, model } from '../effects/testing';
import { resolveSelection } from '../state/selection';
import { resetStrata, useStrata } from '../store';
import { headMismatch, modelChoicesFor, modelReadsUserDataset, modelsFor } from './userDatasetFit';
import { exitQuery } from '../effects/exitEffects';
import { preferredModel, selectUserDataset } from './userDatasetSelection';

const user = (name: string, patch: Partial<DatasetInfo> = {}): DatasetInfo => ({
  ...DATASETS[0],
  name,
  title: `${name}.csv`,
  origin: 'user',
  ...patch,
});

describe('user datasets and the models that read them', () => {
  beforeEach(() => resetStrata());

  it('lists every model of its kind, whatever it was trained on, same class count first', () => {
    const two = user('user-two', { classNames: ['x', 'y'] });
    const imdb = { ...model('imdb-aligned', 'aligned', 'imdb'), kind: 'text' as const };
    const bert = { ...model('user-bert', 'standard', 'imdb-for-user-bert'), kind: 'text' as const };
    const models = [...MODELS, { ...model('mnist-wide', 'aligned'), numClasses: 2 }, imdb, bert];
    expect(modelsFor(two, models).map((m) => m.id)).toEqual([
      'mnist-wide',
      'mnist-standard',
      'mnist-aligned',
      'mnist-multihead',
      'fashion-aligned',
    ]);
    const texts = user('user-t', { kind: 'text', inputShape: [] });
    expect(modelsFor(texts, models).map((m) => m.id)).toEqual(['imdb-aligned', 'user-bert']);
    expect(modelsFor(texts, MODELS)).toEqual([]);
    expect(modelReadsUserDataset([user('user-d')], 'user-d', MODELS[3])).toBe(true);
    expect(modelReadsUserDataset([user('user-d')], 'user-d', imdb)).toBe(false);
    expect(modelReadsUserDataset(DATASETS, 'mnist', MODELS[3])).toBe(false);
  });

  it('prefers a model with the dataset’s class count, then the one on show', () => {
    const wide = { ...model('mnist-wide', 'standard'), numClasses: 2 };
    const models = [...MODELS, wide];
    const three = user('user-3');
    const two = user('user-2', { classNames: ['x', 'y'] });
    expect(preferredModel(three, models, 'fashion-aligned')?.id).toBe('fashion-aligned');
    expect(preferredModel(three, models, 'mnist-wide')?.id).toBe('mnist-aligned');
    expect(preferredModel(two, models, 'mnist-aligned')?.id).toBe('mnist-wide');
    const five = user('user-5', { classNames: ['a', 'b', 'c', 'd', 'e'] });
    expect(preferredModel(five, models, 'mnist-wide')?.id).toBe('mnist-wide');
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
    store.applyCatalog(MODELS, [...DATASETS, user('user-d'), user('user-t', { kind: 'text' })]);
    useStrata.getState().selectModel('fashion-aligned');
    expect(selectUserDataset('user-d')).toBe(true);
    // The model on show reads it (any image model does) and has its class count: it stays.
    expect(useStrata.getState().config).toMatchObject({
      modelId: 'fashion-aligned',
      dataset: 'user-d',
    });
    expect(selectUserDataset('user-d', 'mnist-multihead')).toBe(true);
    expect(useStrata.getState().config.modelId).toBe('mnist-multihead');
    expect(selectUserDataset('user-t')).toBe(false);
    expect(useStrata.getState().config.dataset).toBe('user-d');
    expect(useStrata.getState().ui.alerts.at(-1)?.text).toMatch(
      /^user-t\.csv is listed, but no model here can read it: no text model is listed/,
    );
  });
});
