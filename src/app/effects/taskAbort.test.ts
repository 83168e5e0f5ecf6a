// Leaving a selection aborts the engine work done for it: the effects pass the engine a signal
// per request, aborted when a newer request replaces it or the user leaves the selection.
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisRequest, ExitRequest } from '../../engine/apiTypes';
import { TaskAbortedError } from '../../engine/tasks';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed } from './streamFeed';
import { analysisFor, createFakeEngine, exitFor, settle } from './testing';

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

interface Held<Q> {
  req: Q;
  signal: AbortSignal | undefined;
  resolve(): void;
}

/** A page whose engine holds every analysis and sweep open, and stops one when it is aborted. */
async function open() {
  const fake = createFakeEngine();
  const store = createStrataStore();
  controller = connectExplorer(fake.engine, store, createStreamFeed());
  await settle();
  const analyses: Held<AnalysisRequest>[] = [];
  const sweeps: Held<ExitRequest>[] = [];
  fake.handlers.analyze = (req, _progress, signal) =>
    new Promise((resolve, reject) => {
      // As the engine does: an aborted task rejects, by name, with no result.
      signal?.addEventListener('abort', () => reject(new TaskAbortedError('analysis')));
      analyses.push({ req, signal, resolve: () => resolve(analysisFor(req)) });
    });
  fake.handlers.exitTradeoff = (req, _progress, signal) =>
    new Promise((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(new TaskAbortedError('exit sweep')));
      sweeps.push({ req, signal, resolve: () => resolve(exitFor(req)) });
    });
  return { fake, store, analyses, sweeps };
}

const alerts = (store: ReturnType<typeof createStrataStore>) =>
  store.getState().ui.alerts.map((a) => a.text);

describe('aborting engine work the page no longer wants', () => {
  it('aborts a compare slot’s analysis when the slot is emptied, with no alert', async () => {
    const { store, analyses } = await open();
    store.getState().setCompare({ a: 'mnist-multihead' });
    await settle();
    const held = analyses.find((h) => h.req.modelId === 'mnist-multihead')!;
    expect(held.signal?.aborted).toBe(false);
    store.getState().setCompare({ a: null });
    await settle();
    expect(held.signal?.aborted).toBe(true);
    expect(alerts(store)).toEqual([]);
    expect(store.getState().run.tasks.a).toBeUndefined();
  });

  it('aborts the main analysis when the user moves to another request', async () => {
    const { store, analyses } = await open();
    store.getState().setConfig({ samples: 500 });
    await settle();
    const first = analyses.find((h) => h.req.samples === 500 && h.req.modelId === 'mnist-aligned')!;
    store.getState().setConfig({ samples: 700 });
    await settle();
    expect(first.signal?.aborted).toBe(true);
    // The newer request runs as soon as the stale one has stopped, not after it would have ended.
    const next = analyses.find((h) => h.req.samples === 700 && h.req.modelId === 'mnist-aligned')!;
    expect(next.signal?.aborted).toBe(false);
    next.resolve();
    await settle();
    expect(store.getState().results.analysis.main?.request.samples).toBe(700);
    expect(alerts(store)).toEqual([]);
  });

  it('keeps a shared analysis running while one panel still shows it', async () => {
    const { store, analyses } = await open();
    store.getState().setConfig({ samples: 600 });
    await settle();
    // Main and B both show mnist-aligned: one engine call serves both.
    const shared = analyses.filter(
      (h) => h.req.samples === 600 && h.req.modelId === 'mnist-aligned',
    );
    expect(shared).toHaveLength(1);
    store.getState().setCompare({ b: 'mnist-multihead' }); // B leaves, main stays
    await settle();
    expect(shared[0].signal?.aborted).toBe(false);
    store.getState().selectModel('mnist-standard'); // main leaves too
    await settle();
    expect(shared[0].signal?.aborted).toBe(true);
  });

  it('aborts an exit sweep whose rule the user changed', async () => {
    const { store, sweeps } = await open();
    store.getState().setExit({ rule: 'entropy' });
    await settle();
    const entropy = sweeps.find((h) => h.req.rule === 'entropy')!;
    store.getState().setExit({ rule: 'patience' });
    await settle();
    expect(entropy.signal?.aborted).toBe(true);
    expect(sweeps.find((h) => h.req.rule === 'patience')?.signal?.aborted).toBe(false);
    expect(alerts(store)).toEqual([]);
  });

  it('stops all work for a dataset the user left at the switch itself, and never shows its result', async () => {
    const { fake, store, analyses, sweeps } = await open();
    store.getState().setConfig({ samples: 300 });
    await settle();
    const old = () => [...analyses, ...sweeps].filter((h) => h.req.samples === 300);
    expect(old().map((h) => h.signal?.aborted)).toEqual([false]); // the queue runs one at a time
    store.getState().selectDataset('fashion');
    // Aborted in the same tick as the switch, not after the call would have finished.
    expect(old().map((h) => h.signal?.aborted)).toEqual([true]);
    // An engine that finishes anyway delivers nothing.
    old().forEach((h) => h.resolve());
    await settle();
    const asked = [...fake.callsTo('analyze'), ...fake.callsTo('exitTradeoff')].map(
      (args) => args[0] as { dataset: string; samples: number },
    );
    expect(asked.filter((r) => r.samples === 300 && r.dataset === 'mnist')).toHaveLength(1);
    expect(asked.some((r) => r.dataset === 'fashion')).toBe(true);
    const { analysis, exits } = store.getState().results;
    for (const r of [analysis.main, analysis.a, analysis.b, exits.shared, exits.multi])
      expect(r?.request.samples).not.toBe(300);
    expect(alerts(store)).toEqual([]);
  });

  it('aborts the left dataset’s load in the same tick as the switch, with no alert', async () => {
    const { fake, store } = await open();
    const loads: { name: string; signal: AbortSignal | undefined }[] = [];
    fake.handlers.loadDataset = (name, _progress, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new TaskAbortedError(`loading ${name}`)));
        loads.push({ name, signal });
      });
    store.getState().selectDataset('fashion');
    await settle();
    const fashion = loads.find((l) => l.name === 'fashion')!;
    expect(fashion.signal?.aborted).toBe(false);
    store.getState().selectDataset('mnist');
    expect(fashion.signal?.aborted).toBe(true);
    await settle();
    expect(loads.find((l) => l.name === 'mnist')?.signal?.aborted).toBe(false);
    expect(alerts(store)).toEqual([]);
  });
});
