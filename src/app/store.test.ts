import { describe, expect, it } from 'vitest';
import { MODELS, DATASETS, model } from './effects/testing';
import { MAX_ALERTS } from './state/ui';
import { createStrataStore, resetStrata } from './store';

function withCatalog() {
  const store = createStrataStore();
  store.getState().applyCatalog(MODELS, DATASETS);
  return store;
}

describe('store', () => {
  it('opens on mnist-aligned and pairs the dataset’s standard and aligned checkpoints', () => {
    const s = withCatalog().getState();
    expect(s.config).toMatchObject({ modelId: 'mnist-aligned', dataset: 'mnist' });
    expect(s.config.compare).toMatchObject({ a: 'mnist-standard', b: 'mnist-aligned' });
  });

  it('keeps the A/B pair when the model changes within a dataset, resets it across datasets', () => {
    const store = withCatalog();
    store.getState().setCompare({ a: 'mnist-multihead' });
    store.getState().selectModel('mnist-standard');
    expect(store.getState().config.compare.a).toBe('mnist-multihead');
    store.getState().selectModel('fashion-aligned');
    expect(store.getState().config).toMatchObject({
      dataset: 'fashion',
      compare: { a: 'fashion-aligned' },
    });
  });

  it('refuses an unknown model with an alert and keeps the current one', () => {
    const store = withCatalog();
    store.getState().selectModel('nope');
    expect(store.getState().config.modelId).toBe('mnist-aligned');
    expect(store.getState().ui.alerts[0]).toMatchObject({ kind: 'error' });
  });

  it('replaces a model that vanished from the list, with a notice', () => {
    const store = withCatalog();
    store.getState().applyCatalog([model('other', 'aligned')]);
    expect(store.getState().config.modelId).toBe('other');
    expect(
      store
        .getState()
        .ui.alerts.map((a) => a.text)
        .join(),
    ).toContain('"mnist-aligned" is not available');
  });

  it('opens a link’s saved fine-tune once a later catalogue lists it, unless the user chose since', () => {
    const saved = model('finetuned-2', 'aligned');
    const link = {
      ...createStrataStore().getState().config,
      modelId: 'finetuned-2',
      dataset: 'mnist',
      compare: { a: 'mnist-standard', b: 'finetuned-2', metric: 'cosine' as const },
    };
    // The first catalogue comes before storage is read: the link falls back, with a notice.
    const store = createStrataStore();
    store.getState().applyConfig(link);
    store.getState().applyCatalog(MODELS, DATASETS);
    expect(store.getState().config.modelId).toBe('mnist-aligned');
    // Storage read, the fine-tune registered: the next catalogue honours the link.
    store.getState().applyCatalog([...MODELS, saved], DATASETS);
    expect(store.getState().config).toMatchObject({
      modelId: 'finetuned-2',
      compare: { a: 'mnist-standard', b: 'finetuned-2' },
    });
    expect(store.getState().ui.alerts.at(-1)?.text).toBe(
      "Opened the link's finetuned-2 now that it is loaded.",
    );
    // Once honoured, later catalogues leave the user's choices alone.
    store.getState().selectModel('mnist-standard');
    store.getState().applyCatalog([...MODELS, saved], DATASETS);
    expect(store.getState().config.modelId).toBe('mnist-standard');

    // A user who picked another model before storage was read keeps it.
    const busy = createStrataStore();
    busy.getState().applyConfig(link);
    busy.getState().applyCatalog(MODELS, DATASETS);
    busy.getState().selectModel('mnist-multihead');
    busy.getState().applyCatalog([...MODELS, saved], DATASETS);
    expect(busy.getState().config.modelId).toBe('mnist-multihead');
  });

  it('a reset forgets a link waiting for the catalogue and one the catalogue could not honour', () => {
    const saved = model('finetuned-2', 'aligned');
    const link = {
      ...createStrataStore().getState().config,
      modelId: 'mnist-standard',
      dataset: 'mnist',
    };
    // Waiting: the link came before the catalogue.
    const waiting = createStrataStore();
    waiting.getState().applyConfig(link);
    resetStrata(waiting);
    waiting.getState().applyCatalog(MODELS, DATASETS);
    expect(waiting.getState().config.modelId).toBe('mnist-aligned');

    // Unmet: the first catalogue lacked the link's fine-tune, so it opened the default instead.
    // After the reset the same view is chosen again: the old link must not take it over.
    const unmet = createStrataStore();
    unmet.getState().applyConfig({ ...link, modelId: 'finetuned-2' });
    unmet.getState().applyCatalog(MODELS, DATASETS);
    const { modelId, dataset, compare } = unmet.getState().config;
    resetStrata(unmet);
    unmet.getState().setConfig({ modelId, dataset, compare });
    unmet.getState().applyCatalog([...MODELS, saved], DATASETS);
    expect(unmet.getState().config.modelId).toBe('mnist-aligned');
    expect(unmet.getState().ui.alerts).toEqual([]);
  });

  it('starts a new exit rule at its own default threshold unless one is given', () => {
    const store = createStrataStore();
    store.getState().setExit({ rule: 'entropy' });
    expect(store.getState().config.exit).toEqual({ rule: 'entropy', threshold: 0.5 });
    store.getState().setExit({ rule: 'patience', threshold: 3 });
    expect(store.getState().config.exit).toEqual({ rule: 'patience', threshold: 3 });
  });

  it('keeps at most a few alerts, each once, and dismisses by id', () => {
    const store = createStrataStore();
    for (let i = 0; i < MAX_ALERTS + 3; i++) store.getState().addAlert('error', `e${i}`);
    store.getState().addAlert('error', `e${MAX_ALERTS + 2}`);
    const alerts = store.getState().ui.alerts;
    expect(alerts).toHaveLength(MAX_ALERTS);
    expect(alerts[alerts.length - 1].text).toBe(`e${MAX_ALERTS + 2}`);
    store.getState().dismissAlert(alerts[0].id);
    expect(store.getState().ui.alerts).toHaveLength(MAX_ALERTS - 1);
  });

  it('replaces an alert of the same key where it stands, and shows it again once dismissed', () => {
    const store = createStrataStore();
    const add = store.getState().addAlert;
    add('error', 'full at step 1', 'quota');
    add('notice', 'other');
    add('error', 'full at step 2', 'quota');
    const [quota, other] = store.getState().ui.alerts;
    expect(store.getState().ui.alerts.map((a) => a.text)).toEqual(['full at step 2', 'other']);
    store.getState().dismissAlert(quota.id);
    add('error', 'full at step 3', 'quota');
    expect(store.getState().ui.alerts.map((a) => [a.id === other.id, a.text])).toEqual([
      [true, 'other'],
      [false, 'full at step 3'],
    ]);
  });

  it('tracks tasks per channel and resets to the initial state', () => {
    const store = withCatalog();
    store.getState().setTask('main', null);
    store.getState().setTask('main', { phase: 'capturing layers', done: 1, total: 4 });
    expect(store.getState().run.tasks.main).toEqual({
      phase: 'capturing layers',
      done: 1,
      total: 4,
    });
    store.getState().setTask('main', undefined);
    expect('main' in store.getState().run.tasks).toBe(false);
    resetStrata(store);
    expect(store.getState().config.modelId).toBeNull();
    expect(store.getState().results.models).toEqual([]);
  });
});
