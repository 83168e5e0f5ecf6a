// The first analysis of a real-size model fits a time budget: the engine is asked for fewer
// samples (analysis and exit sweep alike) until the user asks for all of them.
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisRequest, ExitRequest } from '../../engine/apiTypes';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed } from './streamFeed';
import { createFakeEngine, model, MODELS, settle } from './testing';

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

// ViT-B/16's size, as the engine lists an imported checkpoint.
const VIT_B = { ...model('user-vit-b', 'standard'), parameters: 86e6, tokensPerSample: 197 };

describe('the sample budget on the page', () => {
  it('analyses ViT-B on 64 samples on WASM, then on all 1,000 when asked', async () => {
    const fake = createFakeEngine();
    fake.handlers.listModels = async () => [VIT_B, ...MODELS];
    const store = createStrataStore();
    store.getState().setRun({ backendInfo: { name: 'wasm', adapter: 'cpu', reason: 'test' } });
    controller = connectExplorer(fake.engine, store, createStreamFeed());
    await settle();
    store.getState().selectModel('user-vit-b');
    await settle();
    const asked = () => (fake.callsTo('analyze').at(-1)![0] as AnalysisRequest).samples;
    const swept = () =>
      (fake.callsTo('exitTradeoff') as [ExitRequest][])
        .filter(([r]) => r.modelId === 'user-vit-b')
        .at(-1)![0].samples;
    expect(store.getState().config.samples).toBe(1000);
    expect(asked()).toBe(64);
    expect(swept()).toBe(64);
    expect(store.getState().results.analysis.main?.n).toBe(64);
    // A built-in model is small: all it asks for.
    store.getState().selectModel('mnist-aligned');
    await settle();
    expect(store.getState().results.analysis.main?.request.samples).toBe(1000);
    store.getState().selectModel('user-vit-b');
    store.getState().liftSampleBudget('user-vit-b');
    await settle();
    expect(asked()).toBe(1000);
    expect(swept()).toBe(1000);
    expect(store.getState().results.analysis.main?.n).toBe(1000);
  });
});
