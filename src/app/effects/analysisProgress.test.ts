// An analysis's forward passes on the page: batches and ETA from the measured rate, and a Cancel
// that stops the engine's task and keeps the result on show.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnalysisRequest } from '../../engine/apiTypes';
import { TaskAbortedError } from '../../engine/tasks';
import { analysisProgressText } from '../components/panels/AnalysisProgress';
import { createStrataStore } from '../store';
import { batchesOf, etaSeconds, FORWARD_PHASE } from './analysisProgress';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed } from './streamFeed';
import { createFakeEngine, settle } from './testing';

let controller: ExplorerController | null = null;
afterEach(() => {
  controller?.disconnect();
  vi.restoreAllMocks();
});

describe('forward-pass progress', () => {
  it('measures the rate after the first batch (its warm-up excluded)', () => {
    // 100 samples a batch; batch 1 ends at 5 s (warm-up), batch 3 at 7 s: 200 samples in 2 s.
    expect(etaSeconds({ at: 5000, done: 100 }, { at: 7000, done: 300 }, 1000)).toBe(7);
    expect(etaSeconds({ at: 5000, done: 100 }, { at: 5000, done: 100 }, 1000)).toBeNull();
    expect(batchesOf(300, 1000, 100)).toEqual({ done: 3, total: 10 });
    expect(batchesOf(1000, 1000, 64)).toEqual({ done: 16, total: 16 });
  });
});

describe('the analysis in flight', () => {
  it('shows batches and ETA, and Cancel aborts the engine task and keeps the chart', async () => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const fake = createFakeEngine();
    const store = createStrataStore();
    controller = connectExplorer(fake.engine, store, createStreamFeed());
    await settle();
    const first = store.getState().results.analysis.main;
    expect(first?.request.modelId).toBe('mnist-aligned');

    let report: ((e: { phase: string; done: number; total: number }) => void) | undefined;
    let signal: AbortSignal | undefined;
    let req: AnalysisRequest | undefined;
    fake.handlers.analyze = (r, onProgress, s) =>
      new Promise((_resolve, reject) => {
        req = r;
        report = onProgress;
        signal = s;
        s?.addEventListener('abort', () => reject(new TaskAbortedError('analysis')));
      });
    store.getState().setConfig({ samples: 500 });
    await settle();
    expect(req?.samples).toBe(500);
    expect(store.getState().run.tasks.main).toBeNull();

    clock = 4000; // the first batch of 50, after the model's warm-up
    report!({ phase: FORWARD_PHASE, done: 50, total: 500 });
    expect(store.getState().run.tasks.main).toMatchObject({
      batches: { done: 1, total: 10 },
      etaSeconds: null,
    });
    clock = 5000; // two more batches in one second: 350 samples left take 3.5 s
    report!({ phase: FORWARD_PHASE, done: 150, total: 500 });
    const task = store.getState().run.tasks.main!;
    expect(task).toMatchObject({ batches: { done: 3, total: 10 }, etaSeconds: 3.5 });
    expect(analysisProgressText(task)).toBe(
      'forward passes: batch 3 of 10 (150 of 500 samples), ~4 s left',
    );

    controller.cancelAnalysis();
    await settle();
    expect(signal?.aborted).toBe(true);
    expect(store.getState().run.tasks.main).toBeUndefined();
    expect(store.getState().results.analysis.main).toBe(first);
    const alerts = store.getState().ui.alerts;
    expect(alerts.map((a) => a.kind)).toEqual(['notice']);
    expect(alerts[0].text).toMatch(/^Analysis cancelled; the charts show the previous result/);
    // A late event of the cancelled call brings no bar back.
    report!({ phase: FORWARD_PHASE, done: 200, total: 500 });
    expect(store.getState().run.tasks.main).toBeUndefined();
    // A changed control asks again.
    store.getState().setConfig({ samples: 400 });
    await settle();
    expect(req?.samples).toBe(400);
  });
});
