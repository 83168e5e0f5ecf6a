// A fine-tune the backend cannot hold is refused before it starts, with the numbers.
import { afterEach, describe, expect, it } from 'vitest';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed } from './streamFeed';
import { createFakeEngine, model, MODELS, settle } from './testing';

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

const VIT_B = {
  ...model('user-vit-b', 'standard'),
  numLayers: 12,
  hiddenSize: 768,
  parameters: 86e6,
  tokensPerSample: 197,
};

describe('starting a fine-tune of a real-size model', () => {
  it('refuses ViT-B with batch 32 on WASM, and starts it with a batch that fits', async () => {
    const fake = createFakeEngine();
    fake.handlers.listModels = async () => [VIT_B, ...MODELS];
    const store = createStrataStore();
    store.getState().setRun({ backendInfo: { name: 'wasm', adapter: 'cpu', reason: 'test' } });
    controller = connectExplorer(fake.engine, store, createStreamFeed());
    await settle();
    store.getState().selectModel('user-vit-b');
    store.getState().setTrain({ batchSize: 32 });
    controller.training.start();
    await settle();
    expect(fake.callsTo('startTraining')).toEqual([]);
    expect(store.getState().run.training.state).toBe('idle');
    const [alert] = store.getState().ui.alerts;
    expect(alert.kind).toBe('error');
    expect(alert.text).toMatch(
      /^Fine-tune of user-vit-b not started: it needs ~6\.52 GB .* A batch of 18 or fewer fits\.$/,
    );
    store.getState().setTrain({ batchSize: 16 });
    controller.training.start();
    await settle();
    expect(fake.callsTo('startTraining')).toHaveLength(1);
  });
});
