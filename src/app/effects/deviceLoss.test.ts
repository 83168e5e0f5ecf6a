import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisRequest, ModelInfo, TrainEvent, TrainSnapshot } from '../../engine/apiTypes';
import type { BackendChange } from '../../engine/deviceLoss';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { savedRuns } from '../persist/savedRuns';
import { applyBackendChange, deviceLostAlert, onBackendEvent } from './deviceLoss';
import { memoryStore } from '../persist/keyValueStore';
import { localTabs, localTabSpace } from '../persist/tabs';
import { createStreamFeed } from './streamFeed';
import { MODELS, analysisFor, createFakeEngine, model, settle } from './testing';

const lostError = () =>
  Object.assign(new Error('the GPU device was lost (Device was destroyed.); ask again'), {
    name: 'DeviceLostError',
  });

const CHANGE: BackendChange = {
  type: 'device-lost',
  lost: { backend: 'webgpu', message: 'Device was destroyed.' },
  info: {
    name: 'wasm',
    adapter: 'CPU (WebAssembly)',
    reason: 'WebGPU device lost: Device was destroyed.; now on wasm',
    threads: false,
  },
  droppedModels: ['finetuned-1'],
};

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

describe('a lost GPU device, on the page', () => {
  it('puts the new backend in the badge and says so in one alert, however often it is told', () => {
    const store = createStrataStore();
    store.getState().setRun({
      status: 'ready',
      backendInfo: { name: 'webgpu', adapter: 'swiftshader', reason: 'forced' },
    });
    applyBackendChange(store, CHANGE);
    applyBackendChange(store, CHANGE);
    expect(store.getState().run.backendInfo?.name).toBe('wasm');
    expect(store.getState().run.backendInfo?.reason).toMatch(/^WebGPU device lost: .*now on wasm$/);
    expect(store.getState().ui.alerts.map((a) => a.text)).toEqual([deviceLostAlert(CHANGE)]);
    expect(deviceLostAlert(CHANGE)).toBe(
      'WebGPU device lost: Device was destroyed.; now on wasm. Interrupted work runs again there. Lost with it: finetuned-1 (a running fine-tune resumes from its last snapshot).',
    );
  });

  it('shows in the badge and one alert that the engine could not restart, and what to do', () => {
    const store = createStrataStore();
    store.getState().setRun({
      status: 'ready',
      backendInfo: { name: 'webgpu', adapter: 'swiftshader', reason: 'forced' },
    });
    const message =
      'engine (deviceRecovery.ts): the webgpu device was lost (Device was destroyed.) and no other backend could start (wasm failed). Reload the page; if it fails again, open it with ?backend=cpu or try another browser.';
    const failed = { type: 'restart-failed', lost: CHANGE.lost, message } as const;
    applyBackendChange(store, failed);
    applyBackendChange(store, failed);
    expect(store.getState().run).toMatchObject({ status: 'failed', error: message });
    expect(store.getState().ui.alerts.map((a) => [a.kind, a.text])).toEqual([['error', message]]);
  });

  it('asks again for an analysis the loss interrupted: the result arrives, no error shown', async () => {
    const fake = createFakeEngine();
    let first = true;
    fake.handlers.analyze = async (req: AnalysisRequest) => {
      if (first) {
        first = false;
        throw lostError();
      }
      return analysisFor(req);
    };
    const store = createStrataStore();
    controller = connectExplorer(fake.engine, store, createStreamFeed());
    await settle();
    expect(fake.callsTo('analyze').length).toBeGreaterThanOrEqual(2);
    expect(store.getState().results.analysis.main?.request.modelId).toBe('mnist-aligned');
    expect(store.getState().ui.alerts).toEqual([]);
  });

  async function trainingInterrupted(withSnapshot: boolean) {
    const fake = createFakeEngine();
    const runs: { options: unknown; emit: (e: TrainEvent) => void; fail: (e: unknown) => void }[] =
      [];
    fake.handlers.startTraining = (_req, onEvent, options) =>
      new Promise((_resolve, reject) => runs.push({ options, emit: onEvent, fail: reject }));
    const store = createStrataStore();
    controller = connectExplorer(fake.engine, store, createStreamFeed());
    await settle();
    store.getState().setTrain({ steps: 100, evalEvery: 50 });
    controller.training.start();
    await settle();
    const snapshot = {
      version: 1,
      model: model('finetuned-1', 'aligned'),
      request: fake.callsTo('startTraining')[0][0],
      step: 25,
      state: 'running',
    } as unknown as TrainSnapshot;
    if (withSnapshot) runs[0].emit({ type: 'snapshot', snapshot });
    runs[0].emit({
      type: 'log',
      log: {
        step: 30,
        loss: 1,
        terms: [1],
        lr: 1e-3,
        gradNorm: 1,
        stepsPerSecond: 2,
        elapsedMs: 1,
      },
    });
    runs[0].fail(lostError());
    await settle();
    return { store, runs, snapshot };
  }

  it('resumes an interrupted fine-tune from its last snapshot, and says so', async () => {
    const { store, runs, snapshot } = await trainingInterrupted(true);
    expect(runs).toHaveLength(2);
    expect(runs[1].options).toMatchObject({ resumeFrom: snapshot });
    expect(store.getState().run.training).toMatchObject({ state: 'starting', step: 25 });
    expect(store.getState().ui.alerts.map((a) => a.text)).toEqual([
      'The fine-tune finetuned-1 resumes from its snapshot at step 25 on the new backend.',
    ]);
  });

  it('restarts from step 0 with a clear message when the run had no snapshot yet', async () => {
    const { store, runs } = await trainingInterrupted(false);
    expect(runs).toHaveLength(2);
    expect(runs[1].options).not.toHaveProperty('resumeFrom');
    expect(store.getState().run.training).toMatchObject({ state: 'starting', step: 0 });
    expect(store.getState().ui.alerts.map((a) => a.text)).toEqual([
      'The fine-tune of mnist-aligned had no snapshot yet: it restarts from step 0 on the new backend.',
    ]);
  });

  it('restarts a run without a snapshot under its own number and claim, taking no new one', async () => {
    const fake = createFakeEngine();
    const runs: { options: unknown; fail: (e: unknown) => void }[] = [];
    fake.handlers.startTraining = (_req, _onEvent, options) =>
      new Promise((_resolve, reject) => runs.push({ options, fail: reject }));
    const store = createStrataStore();
    const space = localTabSpace();
    const tabs = localTabs(space);
    controller = connectExplorer(fake.engine, store, createStreamFeed(), memoryStore(), tabs);
    await settle();
    store.getState().setTrain({ steps: 100, evalEvery: 50 });
    controller.training.start();
    await settle();
    expect(runs).toHaveLength(1);
    const first = runs[0].options as { runNumber: number };
    runs[0].fail(lostError());
    await settle();
    expect(runs).toHaveLength(2);
    expect(runs[1].options).toMatchObject({ runNumber: first.runNumber });
    expect([...space.claims.keys()]).toEqual([`finetuned-${first.runNumber}`]);
    expect(tabs.ownRun()).toBe(`finetuned-${first.runNumber}`);
  });

  it('after a loss, loads the saved fine-tunes again; one that cannot come back leaves the pickers', async () => {
    const kv = memoryStore();
    const saved = { ...model('finetuned-1', 'aligned'), builtin: false };
    const unsaved = { ...model('finetuned-2', 'aligned'), builtin: false };
    await savedRuns(kv).save(
      {
        version: 1,
        model: saved,
        request: { baseModelId: 'mnist-aligned', dataset: 'mnist' },
        step: 100,
        state: 'done',
        dataPosition: { epoch: 1, batch: 0 },
        weights: new Uint8Array(16),
        config: new Uint8Array(4),
        optimizer: new Uint8Array(32),
      } as unknown as TrainSnapshot,
      { evals: [], curve: [] },
    );
    const fake = createFakeEngine();
    let listed = [...MODELS, saved, unsaved];
    fake.handlers.listModels = async () => listed;
    fake.handlers.registerCheckpoint = async (info) => {
      listed = [...listed, info];
      return info;
    };
    const store = createStrataStore();
    controller = connectExplorer(fake.engine, store, createStreamFeed(), kv, localTabs());
    await settle();
    store
      .getState()
      .setConfig({ compare: { a: 'finetuned-1', b: 'finetuned-2', metric: 'cosine' } });
    expect(fake.callsTo('registerCheckpoint')).toEqual([]); // both were loaded already

    listed = [...MODELS]; // the engine lost both with the device
    onBackendEvent(store, { ...CHANGE, droppedModels: ['finetuned-1', 'finetuned-2'] }, controller);
    await settle();
    expect(fake.callsTo('registerCheckpoint').map(([info]) => (info as ModelInfo).id)).toEqual([
      'finetuned-1',
    ]);
    const ids = store.getState().results.models.map((m) => m.id);
    expect(ids).toContain('finetuned-1');
    expect(ids).not.toContain('finetuned-2');
    expect(store.getState().config.compare.a).toBe('finetuned-1');
    expect(store.getState().config.compare.b).not.toBe('finetuned-2');
  });
});
