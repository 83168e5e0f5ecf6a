import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ModelInfo,
  StartTrainingOptions,
  TrainEvent,
  TrainSnapshot,
} from '../../engine/apiTypes';
import { connectExplorer, type ExplorerController } from '../effects/connect';
import { createStreamFeed } from '../effects/streamFeed';
import { createFakeEngine, model, settle } from '../effects/testing';
import { createStrataStore } from '../store';
import { memoryStore, type KeyValueStore } from './keyValueStore';
import { resetPersist, usePersist } from './persistState';
import { savedRuns } from './savedRuns';

const bytes = (tag: number, n = 16) => new Uint8Array(n).fill(tag);

function snapshot(
  step: number,
  state: TrainSnapshot['state'] = 'running',
  id = 'finetuned-1',
): TrainSnapshot {
  return {
    version: 1,
    model: { ...model(id, 'aligned'), builtin: false },
    request: {
      baseModelId: 'mnist-aligned',
      dataset: 'mnist',
      loss: 'aligned',
      weighting: 'linear',
      lr: 1e-3,
      batchSize: 8,
      steps: 100,
      seed: 0,
      evalEvery: 25,
    },
    step,
    state,
    dataPosition: { epoch: 0, batch: step },
    weights: bytes(step),
    config: bytes(step + 1, 4),
    optimizer: bytes(step + 2, 32),
  };
}

const log = (step: number) => ({
  step,
  loss: 1 / step,
  terms: [1 / step],
  lr: 1e-3,
  gradNorm: 1,
  stepsPerSecond: 5,
  elapsedMs: step,
});

let controller: ExplorerController | null = null;
beforeEach(() => resetPersist());
afterEach(() => controller?.disconnect());

/** A page connected to a fake engine whose fine-tune the test drives event by event. */
async function openPage(kv: KeyValueStore) {
  const fake = createFakeEngine();
  let emit!: (e: TrainEvent) => void;
  let finish!: (m: ModelInfo) => void;
  fake.handlers.startTraining = (_req, onEvent) =>
    new Promise((resolve) => {
      emit = onEvent;
      finish = resolve;
    });
  const store = createStrataStore();
  const feed = createStreamFeed();
  controller = connectExplorer(fake.engine, store, feed, kv);
  await settle();
  return {
    fake,
    store,
    feed,
    emit: (e: TrainEvent) => emit(e),
    finish: (m: ModelInfo) => finish(m),
    flushed: () => controller!.persistence!.flushed(),
  };
}

describe('saved runs in a key-value store', () => {
  it('keeps one record per run pointing at its newest bytes; the old bytes go', async () => {
    const kv = memoryStore();
    const runs = savedRuns(kv);
    await runs.save(snapshot(25), { evals: [], curve: [] });
    await runs.save(snapshot(50), { evals: [], curve: [] });
    const list = await runs.list();
    expect(list.map((r) => [r.id, r.step])).toEqual([['finetuned-1', 50]]);
    expect([...kv.data.keys()].filter((k) => k.startsWith('bytes:'))).toEqual([list[0].bytesKey]);
    const back = await runs.snapshot(list[0]);
    expect(back.weights).toEqual(bytes(50));
    expect(back.optimizer).toEqual(bytes(52, 32));
    await runs.discard('finetuned-1');
    expect(kv.data.size).toBe(0);
  });

  it('sweeps bytes that no record points to', async () => {
    const kv = memoryStore();
    await kv.set('bytes:finetuned-9:5:1-0', { weights: bytes(1) });
    const runs = savedRuns(kv);
    await runs.save(snapshot(25), { evals: [], curve: [] });
    await runs.sweep();
    expect([...kv.data.keys()].sort()).toEqual(
      [(await runs.list())[0].bytesKey, 'run:finetuned-1'].sort(),
    );
  });
});

describe('persistence of a live fine-tune', () => {
  it('saves each snapshot with the evaluations and curve up to its step', async () => {
    const kv = memoryStore();
    const page = await openPage(kv);
    page.store.getState().setTrain({ steps: 100 });
    controller!.training.start();
    await settle();
    for (let s = 1; s <= 30; s++) page.emit({ type: 'log', log: log(s) });
    page.emit({ type: 'eval', log: { step: 25, n: 10, accuracy: [0.5, 0.6], loss: [1, 0.9] } });
    page.emit({ type: 'snapshot', snapshot: snapshot(25) });
    await settle();
    await page.flushed();
    const [run] = await savedRuns(kv).list();
    expect(run).toMatchObject({ id: 'finetuned-1', step: 25, state: 'running' });
    expect(run.evals.map((e) => e.step)).toEqual([25]);
    expect(Math.max(...run.curve.map((p) => p.x))).toBe(25);
    expect(usePersist.getState().lastSaved).toEqual({
      id: 'finetuned-1',
      step: 25,
      state: 'running',
    });
  });

  // Write 1 hands out the run number, 2 and 3 are the 1st save.
  it.each([
    ['the bytes', 4],
    ['the record', 5],
  ])(
    'storage full at %s of the 2nd save: an alert, training goes on, the 1st save is intact',
    async (_what, failFromWrite) => {
      const kv = memoryStore({ failFromWrite });
      const page = await openPage(kv);
      controller!.training.start();
      await settle();
      page.emit({ type: 'snapshot', snapshot: snapshot(25) });
      await page.flushed();
      const before = new Map(kv.data);
      page.emit({ type: 'snapshot', snapshot: snapshot(50) });
      await settle();
      await page.flushed();
      // Nothing saved before is lost or changed.
      expect(new Map(kv.data)).toEqual(before);
      const [run] = await savedRuns(kv).list();
      expect(run.step).toBe(25);
      expect((await savedRuns(kv).snapshot(run)).weights).toEqual(bytes(25));
      expect(page.store.getState().ui.alerts.map((a) => a.text)).toContain(
        'Browser storage is full: finetuned-1 at step 50 was not saved; kept the 1 checkpoint already saved; export the session to keep this one.',
      );
      // Training was not touched: the run goes on and its events still arrive.
      expect(page.fake.callsTo('stopTraining')).toHaveLength(0);
      page.emit({ type: 'log', log: log(51) });
      expect(page.store.getState().run.training).toMatchObject({ state: 'running', step: 51 });
      // …and the snapshot that could not be stored is kept for a session export.
      expect(controller!.persistence!.unsaved().map((u) => u.run.step)).toEqual([50]);
    },
  );

  it('a full storage at every snapshot keeps one alert, updated in place with the latest step', async () => {
    const kv = memoryStore({ failFromWrite: 4 }); // write 1: the run number; 2, 3: the 1st save
    const page = await openPage(kv);
    controller!.training.start();
    await settle();
    page.emit({ type: 'snapshot', snapshot: snapshot(25) });
    await page.flushed();
    page.emit({ type: 'snapshot', snapshot: snapshot(50) });
    await page.flushed();
    const [first] = page.store.getState().ui.alerts;
    for (const step of [75, 100]) {
      page.emit({ type: 'snapshot', snapshot: snapshot(step) });
      await page.flushed();
    }
    const alerts = page.store.getState().ui.alerts;
    expect(alerts.filter((a) => a.text.startsWith('Browser storage is full'))).toEqual([
      {
        id: first.id,
        kind: 'error',
        key: 'storage-save',
        text: 'Browser storage is full: finetuned-1 at step 100 was not saved; kept the 1 checkpoint already saved; export the session to keep this one.',
      },
    ]);
  });

  it('names any other storage failure and keeps going', async () => {
    const kv = memoryStore({ failFromWrite: 1, error: () => new Error('disk went away') });
    const page = await openPage(kv);
    controller!.training.start();
    await settle();
    page.emit({ type: 'snapshot', snapshot: snapshot(25) });
    await page.flushed();
    expect(page.store.getState().ui.alerts.map((a) => a.text)).toContain(
      'Browser storage failed (disk went away): finetuned-1 at step 25 was not saved; kept the 0 checkpoints already saved; export the session to keep this one.',
    );
  });
});

describe('after a reload', () => {
  async function storeWith(...snapshots: TrainSnapshot[]) {
    const kv = memoryStore();
    for (const s of snapshots)
      await savedRuns(kv).save(s, {
        evals: [{ step: 25, n: 10, accuracy: [0.5, 0.6], loss: [1, 0.9] }],
        curve: [{ series: 'weighted loss', x: 25, y: 0.5 }],
      });
    return kv;
  }

  it('loads finished fine-tunes into the engine and offers the unfinished one', async () => {
    const kv = await storeWith(
      snapshot(100, 'done', 'finetuned-1'),
      snapshot(50, 'paused', 'finetuned-2'),
    );
    const page = await openPage(kv);
    const registered = page.fake.callsTo('registerCheckpoint');
    expect(registered.map(([info]) => (info as ModelInfo).id)).toEqual(['finetuned-1']);
    expect((registered[0][1] as { weights: Uint8Array }).weights).toEqual(bytes(100));
    expect(usePersist.getState().pending).toMatchObject({ id: 'finetuned-2', step: 50 });
    // A new run gets the next number no saved run has.
    controller!.training.start();
    await settle();
    const options = page.fake.callsTo('startTraining')[0][2] as StartTrainingOptions;
    expect(options.runNumber).toBe(3);
  });

  it('resumes: the engine gets the snapshot, the bar starts at its step, evals and curve return', async () => {
    const kv = await storeWith(snapshot(50, 'running'));
    const page = await openPage(kv);
    await controller!.persistence!.resumePending();
    await settle();
    const [req, , options] = page.fake.callsTo('startTraining')[0] as [
      TrainSnapshot['request'],
      unknown,
      StartTrainingOptions,
    ];
    expect(req.steps).toBe(100);
    expect(options.resumeFrom?.step).toBe(50);
    expect(options.resumeFrom?.optimizer).toEqual(bytes(52, 32));
    expect(page.store.getState().run.training).toMatchObject({
      state: 'starting',
      step: 50,
      steps: 100,
    });
    expect(page.store.getState().results.training.evals.map((e) => e.step)).toEqual([25]);
    expect(page.feed.points()).toEqual([{ series: 'weighted loss', x: 25, y: 0.5 }]);
    expect(usePersist.getState().pending).toBeNull();
  });

  it("with nothing to resume, the newest finished fine-tune's curve and accuracy come back", async () => {
    const kv = await storeWith(snapshot(100, 'done'));
    const fake = createFakeEngine();
    const registered: ModelInfo[] = [];
    fake.handlers.registerCheckpoint = async (info) => (registered.push(info), info);
    fake.handlers.listModels = async () => [model('mnist-aligned', 'aligned'), ...registered];
    const store = createStrataStore();
    const feed = createStreamFeed();
    controller = connectExplorer(fake.engine, store, feed, kv);
    await settle();
    expect(usePersist.getState().pending).toBeNull();
    expect(store.getState().results.models.map((m) => m.id)).toContain('finetuned-1');
    expect(store.getState().results.training.model?.id).toBe('finetuned-1');
    expect(store.getState().results.training.evals.map((e) => e.step)).toEqual([25]);
    expect(store.getState().run.training).toMatchObject({ state: 'done', step: 100, steps: 100 });
    expect(feed.points()).toEqual([{ series: 'weighted loss', x: 25, y: 0.5 }]);
  });

  it('discards: the record and its bytes are gone', async () => {
    const kv = await storeWith(snapshot(50, 'paused'));
    await openPage(kv);
    await controller!.persistence!.discardPending();
    expect(kv.data.size).toBe(0);
    expect(usePersist.getState().pending).toBeNull();
  });
});
