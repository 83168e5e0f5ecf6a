import { afterEach, describe, expect, it } from 'vitest';
import type { ModelInfo, TrainEvent, TrainLog } from '../../engine/apiTypes';
import { TaskAbortedError } from '../../engine/tasks';
import { evaluationSteps } from '../../engine/train/evalSchedule';
import { etaSeconds } from '../state/run';
import { trainingStatusText } from '../state/trainingStatus';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed, type FeedEvent } from './streamFeed';
import { analysisFor, createFakeEngine, model, MODELS, settle } from './testing';
import { LAST_LAYER_SERIES, LOSS_SERIES, lossPoints } from './trainingController';

const log = (step: number, loss: number, terms = [loss + 1, loss]): TrainLog => ({
  step,
  loss,
  terms,
  lr: 1e-3,
  gradNorm: 1,
  stepsPerSecond: 4,
  elapsedMs: step * 250,
});

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

async function openWithHeldTraining() {
  const fake = createFakeEngine();
  let emit!: (e: TrainEvent) => void;
  let finish!: (m: ModelInfo) => void;
  let fail!: (e: Error) => void;
  fake.handlers.startTraining = (_req, onEvent) =>
    new Promise((resolve, reject) => {
      emit = onEvent;
      finish = resolve;
      fail = reject;
    });
  const store = createStrataStore();
  const feed = createStreamFeed();
  const events: FeedEvent[] = [];
  feed.subscribe((e) => events.push(e));
  controller = connectExplorer(fake.engine, store, feed);
  await settle();
  store.getState().setTrain({ steps: 30, evalEvery: 10 });
  controller.training.start();
  await settle();
  return {
    fake,
    store,
    feed,
    events,
    emit: (e: TrainEvent) => emit(e),
    finish: (m: ModelInfo) => finish(m),
    fail: (e: Error) => fail(e),
  };
}

describe('training controller', () => {
  it('turns log events into progress (step, steps/s, ETA) and curve points, outside React', async () => {
    const { fake, store, feed, emit } = await openWithHeldTraining();
    expect(fake.callsTo('startTraining')[0][0]).toMatchObject({
      baseModelId: 'mnist-aligned',
      dataset: 'mnist',
      loss: 'aligned',
      steps: 30,
      evalEvery: 10,
    });
    expect(store.getState().run.training).toMatchObject({ state: 'starting', step: 0, steps: 30 });
    emit({ type: 'log', log: log(6, 0.5) });
    const t = store.getState().run.training;
    expect(t).toMatchObject({ state: 'running', step: 6, stepsPerSecond: 4 });
    expect(etaSeconds(t)).toBeCloseTo(24 / 4);
    expect(feed.points()).toEqual([
      { series: LOSS_SERIES, x: 6, y: 0.5 },
      { series: LAST_LAYER_SERIES, x: 6, y: 0.5 },
    ]);
  });

  it('pauses, resumes and stops through the engine, and refuses a second start while running', async () => {
    const { fake, store, emit, finish } = await openWithHeldTraining();
    emit({ type: 'state', state: 'running', step: 0 });
    controller!.training.pause();
    await settle();
    expect(store.getState().run.training.state).toBe('paused');
    controller!.training.resume();
    await settle();
    expect(store.getState().run.training.state).toBe('running');
    controller!.training.start();
    expect(fake.callsTo('startTraining')).toHaveLength(1);
    controller!.training.stop();
    await settle();
    expect(store.getState().run.training.state).toBe('stopping');
    finish({ ...model('finetuned-1', 'aligned'), builtin: false });
    await settle();
    expect(store.getState().run.training.state).toBe('stopped');
    expect(fake.callsTo('pauseTraining')).toHaveLength(1);
    expect(fake.callsTo('resumeTraining')).toHaveLength(1);
    expect(fake.callsTo('stopTraining')).toHaveLength(1);
  });

  it('analyses the run’s model at each evaluation and when it ends, and lists it for A/B', async () => {
    const { fake, store, emit, finish } = await openWithHeldTraining();
    const title = 'mnist-aligned → aligned, 30 steps, lr 1e-4';
    const tuned = { ...model('finetuned-1', 'aligned'), title, builtin: false };
    fake.handlers.listModels = async () => [
      ...(await createFakeEngine().engine.listModels()),
      tuned,
    ];
    emit({ type: 'checkpoint', model: tuned });
    emit({ type: 'eval', log: { step: 10, n: 500, accuracy: [0.7, 0.95], loss: [1, 0.2] } });
    await settle();
    const s = store.getState();
    expect(s.results.training.evals.map((e) => e.step)).toEqual([10]);
    expect(s.results.analysis.training?.request.modelId).toBe('finetuned-1');
    expect(s.results.models.map((m) => m.id)).toContain('finetuned-1');
    finish(tuned);
    await settle();
    expect(store.getState().run.training.state).toBe('done');
    expect(
      store
        .getState()
        .ui.alerts.map((a) => a.text)
        .join(),
    ).toContain(`"${title}" is ready`);
  });

  it('reports a failed run in the alert region and leaves the results in place', async () => {
    const fake = createFakeEngine();
    fake.handlers.startTraining = async () => {
      throw new Error('wasm: gradient kernel missing');
    };
    const store = createStrataStore();
    controller = connectExplorer(fake.engine, store, createStreamFeed());
    await settle();
    const main = store.getState().results.analysis.main;
    controller.training.start();
    await settle();
    expect(store.getState().run.training.state).toBe('failed');
    expect(store.getState().ui.alerts.map((a) => a.text)).toContain(
      'Fine-tuning mnist-aligned failed: wasm: gradient kernel missing',
    );
    expect(store.getState().results.analysis.main).toBe(main);
  });

  it('shows "Preparing…" and what the engine prepares until the first step is done', async () => {
    const { store, emit } = await openWithHeldTraining();
    const status = () => trainingStatusText(store.getState().run.training);
    expect(status()).toBe('Preparing… starting the run');
    emit({ type: 'preparing', phase: 'dataset' });
    expect(status()).toBe('Preparing… loading the dataset');
    emit({ type: 'preparing', phase: 'model' });
    emit({ type: 'preparing', phase: 'first-step' });
    expect(status()).toBe('Preparing… compiling kernels and taking the first step');
    expect(store.getState().run.training.state).toBe('starting');
    emit({ type: 'log', log: log(1, 0.9) });
    expect(store.getState().run.training).toMatchObject({
      state: 'running',
      step: 1,
      preparing: null,
    });
    expect(status()).toMatch(/^running · step 1 \/ 30 · 4\.00 steps\/s · ETA 7 s$/);
  });

  it('early evaluations land at steps 1, 5 and 10, each shown and analysed as it comes', async () => {
    const { fake, store, emit } = await openWithHeldTraining();
    const tuned = { ...model('finetuned-1', 'aligned'), builtin: false };
    emit({ type: 'checkpoint', model: tuned });
    const analysed: number[] = [];
    for (const step of evaluationSteps(10, 30)) {
      fake.revisions.set('finetuned-1', step);
      emit({ type: 'log', log: log(step, 1 / step) });
      emit({
        type: 'eval',
        log: { step, n: step < 30 ? 256 : 500, accuracy: [0.5, step / 30], loss: [1, 1] },
      });
      await settle();
      analysed.push(store.getState().results.analysis.training?.revision ?? -1);
    }
    const evals = store.getState().results.training.evals;
    expect(evals.map((e) => [e.step, e.n])).toEqual([
      [1, 256],
      [5, 256],
      [10, 256],
      [20, 256],
      [30, 500],
    ]);
    // The heatmaps of the run's model follow each evaluation's step.
    expect(analysed).toEqual([1, 5, 10, 20, 30]);
  });

  it('lets an evaluation’s analysis finish: the newest evaluation waits, the ones between are skipped', async () => {
    const { fake, store, emit } = await openWithHeldTraining();
    const tuned = { ...model('finetuned-1', 'aligned'), builtin: false };
    const release: (() => void)[] = [];
    const aborted: boolean[] = [];
    fake.handlers.analyze = (req, _progress, signal) =>
      req.modelId !== 'finetuned-1'
        ? Promise.resolve(analysisFor(req))
        : new Promise((resolve) => {
            const revision = fake.revisions.get('finetuned-1') ?? 0;
            signal?.addEventListener('abort', () => aborted.push(true));
            release.push(() => resolve(analysisFor(req, revision)));
          });
    const tunedCalls = () =>
      fake
        .callsTo('analyze')
        .filter((c) => (c[0] as { modelId: string }).modelId === 'finetuned-1');
    emit({ type: 'checkpoint', model: tuned });
    const evaluate = async (step: number) => {
      fake.revisions.set('finetuned-1', step);
      emit({ type: 'eval', log: { step, n: 256, accuracy: [0.5, 0.9], loss: [1, 1] } });
      await settle();
    };
    await evaluate(1);
    await evaluate(5);
    await evaluate(10);
    expect(tunedCalls()).toHaveLength(1);
    expect(aborted).toEqual([]);
    release[0]();
    await settle();
    expect(store.getState().results.analysis.training?.revision).toBe(1);
    // Step 10's analysis starts once step 1's has landed; step 5's was never asked for.
    expect(tunedCalls()).toHaveLength(2);
    release[1]();
    await settle();
    expect(store.getState().results.analysis.training?.revision).toBe(10);
  });

  it('pausing drops the ETA; Stop asks the engine at once and keeps the step reached', async () => {
    const { fake, store, emit, finish } = await openWithHeldTraining();
    const tuned = { ...model('finetuned-1', 'aligned'), builtin: false, revision: 14 };
    fake.handlers.listModels = async () => [...MODELS, tuned];
    emit({ type: 'log', log: log(12, 0.5) });
    emit({ type: 'state', state: 'paused', step: 12 });
    expect(trainingStatusText(store.getState().run.training)).toBe('paused · step 12 / 30');
    emit({ type: 'state', state: 'running', step: 12 });
    emit({ type: 'log', log: log(13, 0.5) });
    controller!.training.stop();
    // Asked before any further step could be reported: the engine ends the run between steps.
    expect(fake.callsTo('stopTraining')).toHaveLength(1);
    expect(store.getState().run.training.state).toBe('stopping');
    emit({ type: 'log', log: log(14, 0.5) });
    emit({ type: 'state', state: 'running', step: 14 });
    expect(store.getState().run.training.state).toBe('stopping');
    emit({ type: 'state', state: 'stopped', step: 14 });
    finish(tuned);
    await settle();
    expect(store.getState().run.training).toMatchObject({ state: 'stopped', step: 14 });
    expect(store.getState().results.models.map((m) => m.id)).toContain('finetuned-1');
    expect(fake.callsTo('abortTask')).toHaveLength(0);
  });

  it('Stop aborts the analysis of an evaluation in flight at once, and analyses the run’s end', async () => {
    const { fake, store, emit, finish } = await openWithHeldTraining();
    const tuned = { ...model('finetuned-1', 'aligned'), builtin: false };
    const held: { signal: AbortSignal | undefined; revision: number }[] = [];
    fake.handlers.analyze = (req, _progress, signal) =>
      req.modelId !== 'finetuned-1'
        ? Promise.resolve(analysisFor(req))
        : new Promise((_resolve, reject) => {
            held.push({ signal, revision: fake.revisions.get('finetuned-1') ?? 0 });
            signal?.addEventListener('abort', () => reject(new TaskAbortedError('analysis')));
          });
    emit({ type: 'checkpoint', model: tuned });
    emit({ type: 'state', state: 'running', step: 1 });
    fake.revisions.set('finetuned-1', 10);
    emit({ type: 'eval', log: { step: 10, n: 256, accuracy: [0.5, 0.9], loss: [1, 1] } });
    await settle();
    expect(held.map((h) => h.signal?.aborted)).toEqual([false]);
    controller!.training.stop();
    // In the same tick: the worker is left to end its step alone.
    expect(held[0].signal?.aborted).toBe(true);
    fake.revisions.set('finetuned-1', 12);
    emit({ type: 'state', state: 'stopped', step: 12 });
    finish({ ...tuned, revision: 12 });
    await settle();
    expect(held.map((h) => h.revision)).toEqual([10, 12]);
    expect(held[1].signal?.aborted).toBe(false);
    expect(store.getState().ui.alerts.filter((a) => a.kind === 'error')).toEqual([]);
  });

  it('Stop while preparing aborts the run through its task: nothing kept, no alert', async () => {
    const { fake, store, emit, fail } = await openWithHeldTraining();
    const options = fake.callsTo('startTraining')[0][2] as { task?: string };
    expect(options.task).toMatch(/^task-\d+$/);
    // The held run rejects when its task is aborted, as the engine's does.
    fake.handlers.abortTask = async () => fail(new TaskAbortedError('training'));
    controller!.training.stop();
    controller!.training.start(); // refused: the first run is still stopping
    expect(fake.callsTo('startTraining')).toHaveLength(1);
    emit({ type: 'preparing', phase: 'dataset' });
    expect(fake.callsTo('abortTask')).toEqual([[options.task]]);
    expect(store.getState().run.training.state).toBe('stopping');
    await settle();
    expect(store.getState().run.training).toMatchObject({ state: 'stopped', step: 0 });
    expect(store.getState().ui.alerts).toEqual([]);
  });

  it('lossPoints leaves out non-finite values and the last-layer term of a one-term loss', () => {
    expect(lossPoints(log(1, Number.NaN, [Number.NaN]))).toEqual([]);
    expect(lossPoints(log(2, 0.3, [0.3]))).toEqual([{ series: LOSS_SERIES, x: 2, y: 0.3 }]);
  });
});
