import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisRequest } from '../../engine/apiTypes';
import { AGREEMENT_MEASURES } from '../state/agreement';
import { viewStaleness } from '../state/currency';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed } from './streamFeed';
import { analysisFor, createFakeEngine, settle } from './testing';

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

/** A made-up ρ per model and measure, so that each cell shows where it came from. */
const rho = (modelId: string, m: string) =>
  (modelId.length + AGREEMENT_MEASURES.indexOf(m as 'cka')) / 100;

function setUp() {
  const fake = createFakeEngine();
  fake.handlers.analyze = async (req: AnalysisRequest) => {
    const result = analysisFor(req);
    if (req.metrics.length === 5) {
      result.agreement = Object.fromEntries(
        AGREEMENT_MEASURES.map((m) => [
          `cosine~${m}`,
          { spearman: rho(req.modelId, m), pearson: 0.5, pairs: 3 },
        ]),
      );
    }
    return result;
  };
  const store = createStrataStore();
  controller = connectExplorer(fake.engine, store, createStreamFeed());
  const agreementCalls = () =>
    fake
      .callsTo('analyze')
      .map((a) => a[0] as AnalysisRequest)
      .filter((r) => r.metrics.length === 5);
  return { fake, store, agreementCalls };
}

describe('the agreement of every measure with cosine', () => {
  it('is computed only once asked for, for the model and the A/B pair, each model once', async () => {
    const { store, agreementCalls } = setUp();
    await settle();
    expect(agreementCalls()).toEqual([]);
    expect(store.getState().results.agreement).toBeNull();

    store.getState().setAgreementWanted(true);
    expect(store.getState().run.tasks.agreement).toBeDefined();
    await settle();
    const calls = agreementCalls();
    // The model under study is also B: read once.
    expect(calls.map((r) => r.modelId)).toEqual(['mnist-aligned', 'mnist-standard']);
    expect(calls[0].metrics).toEqual(['cosine', 'cka', 'procrustes', 'svcca', 'knn']);
    const rows = store.getState().results.agreement!;
    expect(rows.map((r) => [r.role, r.request.modelId])).toEqual([
      ['main', 'mnist-aligned'],
      ['a', 'mnist-standard'],
      ['b', 'mnist-aligned'],
    ]);
    expect(rows[1].agreement.svcca?.spearman).toBe(rho('mnist-standard', 'svcca'));
    expect(store.getState().run.tasks.agreement).toBeUndefined();
    expect(viewStaleness(store.getState(), 'agreement')).toBeNull();
  });

  it('follows a dataset switch, out of date until the new numbers arrive', async () => {
    const { store, agreementCalls } = setUp();
    store.getState().setAgreementWanted(true);
    await settle();
    store.getState().selectDataset('fashion');
    const note = viewStaleness(store.getState(), 'agreement');
    expect(note).toMatch(/^updating… for .*fashion-aligned.*\(out of date: computed for .*mnist/);
    await settle();
    expect(agreementCalls().at(-1)).toMatchObject({
      modelId: 'fashion-aligned',
      dataset: 'fashion',
    });
    const rows = store.getState().results.agreement!;
    expect(rows.every((r) => r.request.dataset === 'fashion')).toBe(true);
    expect(rows[0].agreement.knn?.spearman).toBe(rho('fashion-aligned', 'knn'));
    expect(viewStaleness(store.getState(), 'agreement')).toBeNull();
  });

  it('a CKA variant chosen in the picker asks nothing new; hiding the table drops its numbers', async () => {
    const { store, agreementCalls } = setUp();
    store.getState().setAgreementWanted(true);
    await settle();
    const before = agreementCalls().length;
    store.getState().setConfig({ ckaMetric: 'cka-minibatch', ckaBatchSize: 64 });
    await settle();
    expect(agreementCalls()).toHaveLength(before);
    expect(viewStaleness(store.getState(), 'agreement')).toBeNull();
    store.getState().setAgreementWanted(false);
    expect(store.getState().results.agreement).toBeNull();
    store.getState().selectDataset('fashion');
    await settle();
    expect(agreementCalls()).toHaveLength(before);
  });
});
