import { afterEach, describe, expect, it } from 'vitest';
import type { ModelInfo, TrainEvent, TrainLog } from '../../engine/apiTypes';
import { etaSeconds } from '../state/run';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed, type FeedEvent } from './streamFeed';
import { createFakeEngine, model, settle } from './testing';
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
  fake.handlers.startTraining = (_req, onEvent) =>
    new Promise((resolve) => {
      emit = onEvent;
      finish = resolve;
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
    const tuned = { ...model('finetuned-1', 'aligned'), builtin: false };
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
    ).toContain('finetuned-1 is ready');
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

  it('lossPoints leaves out non-finite values and the last-layer term of a one-term loss', () => {
    expect(lossPoints(log(1, Number.NaN, [Number.NaN]))).toEqual([]);
    expect(lossPoints(log(2, 0.3, [0.3]))).toEqual([{ series: LOSS_SERIES, x: 2, y: 0.3 }]);
  });
});
