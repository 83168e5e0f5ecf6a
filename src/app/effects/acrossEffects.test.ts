import { afterEach, describe, expect, it } from 'vitest';
import type { CrossAnalysisQuery } from '../../engine/apiTypes';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed } from './streamFeed';
import { createFakeEngine, settle } from './testing';

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

describe('the A/B view across A and B', () => {
  it('compares A with B layer by layer for the chosen measure, and again when it changes', async () => {
    const fake = createFakeEngine();
    const store = createStrataStore();
    controller = connectExplorer(fake.engine, store, createStreamFeed());
    await settle();
    const first = fake.callsTo('analyzeAcross').map((a) => a[0] as CrossAnalysisQuery);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      modelId: 'mnist-standard',
      versusModelId: 'mnist-aligned',
      dataset: 'mnist',
      metrics: ['cosine', 'cka'],
    });
    expect(store.getState().results.across?.request.versusModelId).toBe('mnist-aligned');

    store.getState().setConfig({ ckaMetric: 'svcca' });
    await settle();
    const calls = fake.callsTo('analyzeAcross').map((a) => a[0] as CrossAnalysisQuery);
    expect(calls.at(-1)?.metrics).toEqual(['cosine', 'svcca']);
    expect(store.getState().results.across?.metrics.svcca).toBeDefined();
    expect(store.getState().run.tasks.across).toBeUndefined();
  });
});
