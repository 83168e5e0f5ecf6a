import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisRequest, AnalysisResult } from '../../engine/apiTypes';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed } from './streamFeed';
import { analysisFor, createFakeEngine, settle } from './testing';

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

function open() {
  const fake = createFakeEngine();
  const store = createStrataStore();
  const feed = createStreamFeed();
  controller = connectExplorer(fake.engine, store, feed);
  return { fake, store, feed, controller };
}

describe('connectExplorer: the first screen', () => {
  it('opens on mnist-aligned with its dataset and shows its analysis without any action', async () => {
    const { fake, store } = open();
    await settle();
    const s = store.getState();
    expect(s.config.modelId).toBe('mnist-aligned');
    expect(s.config.dataset).toBe('mnist');
    expect(s.config.compare).toMatchObject({ a: 'mnist-standard', b: 'mnist-aligned' });
    expect(s.results.summary?.name).toBe('mnist');
    expect(s.results.analysis.main?.request).toMatchObject({
      modelId: 'mnist-aligned',
      samples: 1000,
      metrics: ['cosine', 'cka'],
      pooling: 'cls',
    });
    // B is the main model: one engine call serves both.
    const analyzed = fake.callsTo('analyze').map((a) => (a[0] as AnalysisRequest).modelId);
    expect(analyzed.sort()).toEqual(['mnist-aligned', 'mnist-standard']);
    expect(s.results.analysis.b).toBe(s.results.analysis.main);
    expect(s.run.tasks).toEqual({});
  });

  it('sends the dataset load and the main analysis before the A/B and exit work', async () => {
    const { fake } = open();
    await settle();
    const order = fake.calls
      .map((c) =>
        c.method === 'analyze' ? `analyze ${(c.args[0] as AnalysisRequest).modelId}` : c.method,
      )
      .filter((m) => m !== 'listModels' && m !== 'listDatasets');
    expect(order.slice(0, 3)).toEqual([
      'loadDataset',
      'analyze mnist-aligned',
      'analyze mnist-standard',
    ]);
  });

  it('falls back to the first model, with a notice, when mnist-aligned is not shipped', async () => {
    const fake = createFakeEngine();
    fake.handlers.listModels = async () => [
      { ...(await createFakeEngine().engine.listModels())[3] },
    ];
    const store = createStrataStore();
    controller = connectExplorer(fake.engine, store, createStreamFeed());
    await settle();
    expect(store.getState().config.modelId).toBe('fashion-aligned');
    expect(
      store
        .getState()
        .ui.alerts.map((a) => a.text)
        .join(),
    ).toContain('mnist-aligned is not shipped');
  });
});

describe('connectExplorer: controls and stale answers', () => {
  it('never lets a stale analysis overwrite the newer one', async () => {
    const { fake, store } = open();
    await settle();
    const held: { req: AnalysisRequest; resolve: (r: AnalysisResult) => void }[] = [];
    fake.handlers.analyze = (req) => new Promise((resolve) => held.push({ req, resolve }));
    store.getState().setConfig({ samples: 500 });
    await settle();
    store.getState().setConfig({ samples: 700 }); // while 500 is in flight
    await settle();
    expect(held.map((h) => h.req.samples)).toEqual([500]); // 700 waits, A/B too
    held[0].resolve(analysisFor(held[0].req)); // the stale answer arrives
    await settle();
    expect(store.getState().results.analysis.main?.request.samples).toBe(1000); // not 500
    const newest = held.find((h) => h.req.samples === 700 && h.req.modelId === 'mnist-aligned')!;
    newest.resolve(analysisFor(newest.req));
    await settle();
    expect(store.getState().results.analysis.main?.request.samples).toBe(700);
  });

  it('keeps the previous result and raises an alert when the engine fails', async () => {
    const { fake, store } = open();
    await settle();
    const before = store.getState().results.analysis.main;
    fake.handlers.analyze = async () => {
      throw new Error('capture: out of memory');
    };
    store.getState().setConfig({ ckaMetric: 'cka-debiased' });
    await settle();
    const s = store.getState();
    expect(s.results.analysis.main).toBe(before);
    expect(s.ui.alerts.map((a) => a.text)).toContain(
      'Analysis of mnist-aligned failed: capture: out of memory',
    );
    expect(s.run.tasks.main).toBeUndefined();
  });

  it('switching the dataset switches the model and resets the A/B pair', async () => {
    const { store } = open();
    await settle();
    store.getState().selectDataset('fashion');
    await settle();
    const s = store.getState();
    expect(s.config).toMatchObject({ modelId: 'fashion-aligned', dataset: 'fashion' });
    expect(s.config.compare).toMatchObject({ a: 'fashion-aligned', b: 'fashion-aligned' });
    expect(s.results.summary?.name).toBe('fashion');
  });
});

describe('connectExplorer: early exit', () => {
  it('sweeps the shared classifier and the multi-head baseline, then reads out the slider', async () => {
    const { fake, store } = open();
    await settle();
    const s = store.getState();
    expect(s.results.exits.shared?.request.modelId).toBe('mnist-aligned');
    expect(s.results.exits.multi?.request.modelId).toBe('mnist-multihead');
    expect(s.results.readout.threshold).toBe(0.9);
    store.getState().setExit({ threshold: 0.7 });
    await settle();
    expect(store.getState().results.readout.shared?.point.accuracy).toBe(0.7);
    expect(fake.callsTo('exitTradeoff')).toHaveLength(2); // the slider does not re-sweep
  });

  it('never reads out a new rule’s threshold on the old rule’s sweep', async () => {
    const { fake, store } = open();
    await settle();
    fake.calls.length = 0;
    store.getState().setExit({ rule: 'patience' });
    await settle();
    const order = fake.calls.map((c) => `${c.method} ${(c.args[0] as { rule: string }).rule}`);
    expect(order.indexOf('exitReadout confidence')).toBe(-1);
    expect(order.indexOf('exitTradeoff patience')).toBeLessThan(
      order.indexOf('exitReadout patience'),
    );
    expect(store.getState().results.readout.threshold).toBe(2);
  });
});
