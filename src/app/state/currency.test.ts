import { describe, expect, it } from 'vitest';
import { analysisFor, DATASETS, exitFor, MODELS, summaryOf } from '../effects/testing';
import { createStrataStore, type StrataStore } from '../store';
import { staleCaption, staleViews, viewStaleness } from './currency';
import { analysisRequest, exitQuery, pageAnalysisRequest } from './requests';

/** A page on mnist whose every view shows results of its current selection. */
function currentPage(): StrataStore {
  const store = createStrataStore();
  store.getState().applyCatalog(MODELS, DATASETS);
  fillResults(store);
  return store;
}

/** Results for what the controls ask for now, as the effects would deliver them. */
function fillResults(store: StrataStore): void {
  const s = store.getState();
  const { config } = s;
  s.setAnalysis('main', analysisFor(analysisRequest(config, config.modelId!)));
  for (const side of ['a', 'b'] as const) {
    const id = config.compare[side];
    s.setAnalysis(side, id ? analysisFor(analysisRequest(config, id)) : null);
  }
  const q = exitQuery(store.getState())!;
  const shared = exitFor(q.shared);
  const point = shared.tradeoff.points[1];
  s.setResults({
    summary: summaryOf(config.dataset!),
    exits: { shared, multi: q.multi ? exitFor(q.multi) : null },
    readout: {
      threshold: config.exit.threshold,
      sweep: { request: q.shared, revision: 0 },
      shared: { point, histogram: [5, 4] },
      multi: null,
    },
  });
}

const views = (store: StrataStore) => staleViews(store.getState()).map((v) => v.view);
const note = (store: StrataStore, view: Parameters<typeof viewStaleness>[1]) =>
  viewStaleness(store.getState(), view);

describe('which selection a result on show belongs to', () => {
  it('finds every view current when its results are of the controls’ selection', () => {
    const store = currentPage();
    expect(store.getState().config.compare).toMatchObject({
      a: 'mnist-standard',
      b: 'mnist-aligned',
    });
    expect(staleViews(store.getState())).toEqual([]);
  });

  it('marks every view out of date at a dataset switch, saying what for, until results come', () => {
    const store = currentPage();
    store.getState().selectDataset('fashion');
    expect(views(store)).toEqual([
      'main',
      'a',
      'b',
      'pair',
      'compared',
      'exits',
      'readout',
      'summary',
    ]);
    expect(note(store, 'main')).toBe(
      'updating… for fashion-aligned, fashion (out of date: computed for mnist-aligned, mnist)',
    );
    expect(note(store, 'summary')).toBe('updating… for fashion (out of date: computed for mnist)');
    // Fashion has one checkpoint here: A and B are both fashion-aligned, named once.
    expect(store.getState().config.compare).toMatchObject({
      a: 'fashion-aligned',
      b: 'fashion-aligned',
    });
    expect(note(store, 'pair')).toBe(
      'updating… for fashion-aligned, fashion (out of date: computed for mnist-standard, mnist; mnist-aligned, mnist)',
    );
    fillResults(store);
    expect(staleViews(store.getState())).toEqual([]);
  });

  it('names only what changed: pooling, CKA variant, N, seed, the head', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ pooling: 'mean' }, 'cls pooling', 'mean pooling'],
      [{ ckaMetric: 'cka-debiased' }, 'cosine + Linear CKA', 'cosine + Debiased CKA'],
      [{ samples: 2000 }, 'N = 1,000', 'N = 2,000'],
      [{ seed: 7 }, 'seed 1', 'seed 7'],
      [{ finalNormInHead: false }, 'head with final LayerNorm', 'head without final LayerNorm'],
    ];
    for (const [patch, was, now] of cases) {
      const store = currentPage();
      store.getState().setConfig(patch);
      expect(note(store, 'main')).toBe(`updating… for ${now} (out of date: computed for ${was})`);
      // Exit sweeps depend on N and the seed only.
      const exitsStale = 'samples' in patch || 'seed' in patch;
      expect(note(store, 'exits') !== null).toBe(exitsStale);
    }
  });

  it('holds one A/B side out of date while the other is current, and the pair with it', () => {
    const store = currentPage();
    store.getState().setCompare({ a: 'mnist-multihead' });
    expect(note(store, 'a')).toBe(
      'updating… for mnist-multihead (out of date: computed for mnist-standard)',
    );
    expect(note(store, 'b')).toBeNull();
    expect(note(store, 'pair')).toBe(note(store, 'a'));
    expect(note(store, 'compared')).toBe(note(store, 'a'));
    expect(note(store, 'main')).toBeNull();
  });

  it('calls a result of a slot emptied since out of date', () => {
    const store = currentPage();
    store.getState().setCompare({ b: null });
    expect(note(store, 'b')).toBe('nothing chosen now (out of date: computed for mnist-aligned)');
  });

  it('counts a newer settled revision of the weights as another selection', () => {
    const store = currentPage();
    const s = store.getState();
    const models = s.results.models.map((m) =>
      m.id === 'mnist-aligned' ? { ...m, revision: 40 } : m,
    );
    s.setResults({ models });
    expect(note(store, 'main')).toBe(
      'updating… for mnist-aligned @ step 40 (out of date: computed for mnist-aligned)',
    );
  });

  it('holds the exit readout out of date at a new threshold, and when read from another sweep', () => {
    const store = currentPage();
    store.getState().setExit({ threshold: 0.95 });
    expect(note(store, 'exits')).toBeNull();
    expect(note(store, 'readout')).toBe(
      'updating… for threshold 0.95 (out of date: computed for threshold 0.9)',
    );

    const other = currentPage();
    const s = other.getState();
    // The sweep on show is new (samples changed and swept), the readout still of the old one.
    s.setConfig({ samples: 500 });
    const q = exitQuery(other.getState())!;
    s.setResults({ exits: { shared: exitFor(q.shared), multi: q.multi && exitFor(q.multi) } });
    expect(note(other, 'exits')).toBeNull();
    expect(note(other, 'readout')).toBe(
      'updating… for N = 500 (out of date: computed for N = 1,000)',
    );
  });

  it('marks exit sweeps of another rule out of date', () => {
    const store = currentPage();
    store.getState().setExit({ rule: 'entropy' });
    expect(note(store, 'exits')).toBe(
      'updating… for entropy rule (out of date: computed for confidence rule)',
    );
  });

  it('puts the note after a caption, and leaves a current caption as it is', () => {
    expect(staleCaption('Cosine · a', null)).toBe('Cosine · a');
    expect(staleCaption('Cosine · a', 'out of date (x); updating… for y')).toBe(
      'Cosine · a — out of date (x); updating… for y',
    );
  });

  it('finds a real-size model current on its first analysis budget, not on all samples asked', () => {
    const store = createStrataStore();
    // mnist-aligned at ViT-B/16's size on WASM: its first analysis is capped (sampleBudget.ts).
    const big = MODELS.map((m) =>
      m.id === 'mnist-aligned' ? { ...m, parameters: 86_000_000, tokensPerSample: 197 } : m,
    );
    store.getState().applyCatalog(big, DATASETS);
    store.setState((s) => ({
      run: { ...s.run, backendInfo: { name: 'wasm', adapter: 'cpu', reason: 'test' } },
    }));
    const s = store.getState();
    expect(s.config.modelId).toBe('mnist-aligned');
    const budgeted = pageAnalysisRequest(s, 'mnist-aligned');
    expect(budgeted.samples).toBeLessThan(s.config.samples);
    s.setAnalysis('main', analysisFor(budgeted));
    expect(note(store, 'main')).toBeNull();
    // A result on every sample asked for is not what the page asks now.
    s.setAnalysis('main', analysisFor(analysisRequest(s.config, 'mnist-aligned')));
    expect(note(store, 'main')).toMatch(/updating… for .*N = 64/);
  });
});
