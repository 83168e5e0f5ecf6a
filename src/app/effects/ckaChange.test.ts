import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisRequest } from '../../engine/apiTypes';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed } from './streamFeed';
import { createFakeEngine, settle } from './testing';

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

describe('a CKA change', () => {
  it('computes the new CKA alone and keeps the cosine views’ data as it was', async () => {
    const fake = createFakeEngine();
    const store = createStrataStore();
    controller = connectExplorer(fake.engine, store, createStreamFeed());
    await settle();
    const before = store.getState().results.analysis.main!;
    const calls = fake.callsTo('analyze').length;
    store.getState().setConfig({ ckaMetric: 'cka-minibatch', ckaBatchSize: 64 });
    await settle();
    const asked = fake
      .callsTo('analyze')
      .slice(calls)
      .map((a) => a[0] as AnalysisRequest);
    // One call per checkpoint shown (main is B), each for the CKA variant alone.
    expect(asked.map((r) => r.metrics)).toEqual([['cka-minibatch'], ['cka-minibatch']]);
    expect(asked.every((r) => r.batchSize === 64)).toBe(true);
    const s = store.getState();
    const after = s.results.analysis.main!;
    expect(after.request).toMatchObject({ metrics: ['cosine', 'cka-minibatch'], batchSize: 64 });
    expect(after.metrics['cka-minibatch']).toBeDefined();
    expect(after.agreement['cosine~cka-minibatch']).toMatchObject({ pairs: 3 });
    // The cosine matrix, accuracy and class means are the objects drawn before.
    expect(after.metrics.cosine).toBe(before.metrics.cosine);
    expect(after.accuracy).toBe(before.accuracy);
    expect(after.classMeans).toBe(before.classMeans);
    expect(s.results.analysis.b).toBe(after);

    // Back to linear CKA: the result for it is reused, no engine call.
    const n = fake.callsTo('analyze').length;
    store.getState().setConfig({ ckaMetric: 'cka' });
    await settle();
    expect(fake.callsTo('analyze').length).toBe(n);
    expect(store.getState().results.analysis.main!.metrics.cka).toBe(before.metrics.cka);
  });
});
