// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisRequest } from '../../engine/apiTypes';
import { connectExplorer, type ExplorerController } from '../effects/connect';
import { createStreamFeed } from '../effects/streamFeed';
import { createFakeEngine, settle } from '../effects/testing';
import { DEFAULT_CONFIG } from '../state/config';
import { createStrataStore, type StrataStore } from '../store';
import { applyHash, HASH_DEBOUNCE_MS, shareUrl, startLinkSync } from './linkSync';

let controller: ExplorerController | null = null;
let stopSync: (() => void) | null = null;
afterEach(() => {
  controller?.disconnect();
  stopSync?.();
  controller = stopSync = null;
  window.history.replaceState(null, '', '/');
});

/** Opens the page at `url` the way App does: link first, then the engine and its effects. */
async function openAt(url: string) {
  window.history.replaceState(null, '', url);
  const store = createStrataStore();
  const fake = createFakeEngine();
  applyHash(store, window, true);
  stopSync = startLinkSync(store, window);
  controller = connectExplorer(fake.engine, store, createStreamFeed());
  await settle();
  return { store, fake };
}

const analyzed = (fake: ReturnType<typeof createFakeEngine>) =>
  fake.callsTo('analyze').map((a) => (a[0] as AnalysisRequest).modelId);
const alerts = (store: StrataStore) => store.getState().ui.alerts.map((a) => a.text);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('share link at start-up', () => {
  it('opens the linked model, A/B pair and settings, asking the engine for nothing else', async () => {
    const { store, fake } = await openAt(
      '/?backend=wasm#v=1&model=mnist-standard&dataset=mnist&compare.a=mnist-multihead&metric=cka-rbf&pooling=mean',
    );
    const { config } = store.getState();
    expect(config).toMatchObject({
      modelId: 'mnist-standard',
      dataset: 'mnist',
      compare: { a: 'mnist-multihead', b: 'mnist-aligned', metric: 'cosine' },
      ckaMetric: 'cka-rbf',
      pooling: 'mean',
    });
    expect(new Set(analyzed(fake))).toEqual(
      new Set(['mnist-standard', 'mnist-multihead', 'mnist-aligned']),
    );
    expect(fake.callsTo('analyze').every((a) => (a[0] as AnalysisRequest).pooling === 'mean')).toBe(
      true,
    );
    expect(alerts(store)).toEqual([]);
  });

  it('keeps the dataset and A/B pair of a link whose model is gone, with a notice', async () => {
    const { store, fake } = await openAt(
      '/#v=1&model=fashion-old&dataset=fashion&compare.a=fashion-aligned&compare.b=mnist-aligned',
    );
    const { config } = store.getState();
    expect(config).toMatchObject({
      modelId: 'fashion-aligned',
      dataset: 'fashion',
      compare: { a: 'fashion-aligned', b: 'fashion-aligned' },
    });
    // The unchecked ids never reached the engine.
    expect(analyzed(fake)).not.toContain('fashion-old');
    expect(fake.callsTo('loadDataset').map((a) => a[0])).toEqual(['fashion']);
    expect(alerts(store)).toEqual([
      'Model "fashion-old" is not available; opened fashion-aligned instead.',
      'Checkpoint B "mnist-aligned" is not available for fashion; compared fashion-aligned instead.',
    ]);
  });

  it('opens the model’s own dataset when a link names another', async () => {
    const { store } = await openAt('/#model=mnist-standard&dataset=fashion');
    expect(store.getState().config).toMatchObject({ modelId: 'mnist-standard', dataset: 'mnist' });
    expect(alerts(store).join()).toContain('reads dataset mnist, not "fashion"');
  });

  it('opens the default view with one notice for a garbage hash', async () => {
    const { store, fake } = await openAt('/#%E0%A4%A=1&__proto__[x]=1&samples=-3&&=');
    const { config } = store.getState();
    expect({ ...config, modelId: null, dataset: null, compare: DEFAULT_CONFIG.compare }).toEqual(
      DEFAULT_CONFIG,
    );
    expect(config.modelId).toBe('mnist-aligned');
    expect(alerts(store)).toHaveLength(1);
    expect(alerts(store)[0]).toMatch(/^Ignored part of the link: .*samples = "-3"/);
    expect(analyzed(fake)).toContain('mnist-aligned');
  });
});

describe('share link: the hash follows the config', () => {
  it('rewrites the hash once the catalogue has checked the ids, without history entries', async () => {
    const { store } = await openAt('/?samples=128#v=1&metric=cka-debiased&junk=1');
    const length = window.history.length;
    await pause(HASH_DEBOUNCE_MS + 50);
    expect(window.location.hash).toBe(
      '#v=1&model=mnist-aligned&dataset=mnist&metric=cka-debiased&compare.a=mnist-standard&compare.b=mnist-aligned',
    );
    expect(window.location.search).toBe('?samples=128');
    store.getState().setConfig({ pooling: 'mean' });
    store.getState().setExit({ threshold: 0.75 });
    expect(window.location.hash).not.toContain('pooling'); // debounced
    await pause(HASH_DEBOUNCE_MS + 50);
    expect(window.location.hash).toContain('&pooling=mean&');
    expect(window.location.hash).toContain('&exit.threshold=0.75');
    expect(window.history.length).toBe(length);
    expect(shareUrl(store, window)).toBe(
      `http://localhost:3000/?samples=128${window.location.hash}`,
    );
  });

  it('applies a hash the user edits, with a notice for what it ignores', async () => {
    const { store } = await openAt('/');
    window.history.replaceState(null, '', '/#v=1&model=mnist-standard&pooling=tokens&nope=1');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await settle();
    expect(store.getState().config).toMatchObject({ modelId: 'mnist-standard', pooling: 'tokens' });
    expect(alerts(store)).toEqual([
      'Ignored part of the link: unknown key "nope". Those settings are at their defaults.',
    ]);
  });

  it('copies the page address until the catalogue has checked a link’s ids', () => {
    window.history.replaceState(null, '', '/#v=1&model=mnist-standard');
    const store = createStrataStore();
    applyHash(store, window, true);
    expect(store.getState().config.modelId).toBeNull(); // held back
    expect(shareUrl(store, window)).toBe('http://localhost:3000/#v=1&model=mnist-standard');
  });
});
