import { afterEach, describe, expect, it } from 'vitest';
import type {
  AnalysisResult,
  ExitRequest,
  ModelInfo,
  TrainEvent,
  TrainLog,
} from '../../engine/apiTypes';
import { exitCaption } from '../chartData/caption';
import { revisionLag, revisionNotice } from '../state/revisions';
import { createStrataStore } from '../store';
import { connectExplorer, type ExplorerController } from './connect';
import { createStreamFeed } from './streamFeed';
import { analysisFor, createFakeEngine, MODELS, model, settle } from './testing';

// A fine-tune trains in place under one id: a view of it is current only at the step it was
// computed at, and the page must never pass an earlier step's numbers off as the model's now.
const log = (step: number): TrainLog => ({
  step,
  loss: 1 / step,
  terms: [1 / step],
  lr: 1e-3,
  gradNorm: 1,
  stepsPerSecond: 10,
  elapsedMs: step * 100,
});

let controller: ExplorerController | null = null;
afterEach(() => controller?.disconnect());

// As the engine names a fine-tune (session/runName.ts).
const RUN_NAME = 'mnist-aligned → aligned, 200 steps, lr 1e-4';

const tuned = (revision: number): ModelInfo => ({
  ...model('finetuned-1', 'aligned'),
  title: RUN_NAME,
  builtin: false,
  revision,
});

async function openWithRun() {
  const fake = createFakeEngine();
  let emit!: (e: TrainEvent) => void;
  let finish!: (m: ModelInfo) => void;
  let listed = false;
  fake.handlers.listModels = async () =>
    listed ? [...MODELS, tuned(fake.revisions.get('finetuned-1') ?? 0)] : MODELS;
  fake.handlers.startTraining = (_req, onEvent) =>
    new Promise((resolve) => {
      emit = onEvent;
      finish = resolve;
    });
  /** The engine's side of a step: the weights move, the page hears a log. */
  const step = (n: number) => {
    fake.revisions.set('finetuned-1', n);
    emit({ type: 'log', log: log(n) });
  };
  fake.handlers.pauseTraining = async () => {
    const at = fake.revisions.get('finetuned-1')!;
    emit({ type: 'checkpoint', model: tuned(at) });
    emit({ type: 'state', state: 'paused', step: at });
  };
  const store = createStrataStore();
  controller = connectExplorer(fake.engine, store, createStreamFeed());
  await settle();
  store.getState().setTrain({ steps: 30, evalEvery: 0 });
  controller.training.start();
  await settle();
  listed = true;
  emit({ type: 'checkpoint', model: tuned(0) });
  emit({ type: 'state', state: 'running', step: 0 });
  await settle();
  const analysesOf = (id: string) =>
    fake.callsTo('analyze').filter(([req]) => (req as { modelId: string }).modelId === id).length;
  return {
    fake,
    store,
    step,
    analysesOf,
    emit: (e: TrainEvent) => emit(e),
    finish: (m: ModelInfo) => finish(m),
  };
}

describe('results of a fine-tune’s earlier weights', () => {
  it('A/B: labelled as of its step while it trains, recomputed when it pauses, never shown as current before', async () => {
    const { fake, store, step, analysesOf } = await openWithRun();
    step(4);
    await settle();
    store.getState().setCompare({ a: 'finetuned-1' });
    await settle();
    const a = () => store.getState().results.analysis.a!;
    expect(a().revision).toBe(4);
    // Its weights move on with every step: even the newest result is "as of step 4".
    expect(revisionLag(store.getState(), a())).toEqual({
      modelId: 'finetuned-1',
      asOf: 4,
      now: 4,
      training: true,
    });

    // Twenty more steps: no view goes back to the engine at each one (no flood) …
    const asked = analysesOf('finetuned-1');
    for (let n = 5; n <= 20; n++) step(n);
    await settle();
    expect(analysesOf('finetuned-1')).toBe(asked);
    // … and the one on show says which step it is of.
    expect(revisionNotice(store.getState(), [a()])).toContain(
      `${RUN_NAME} is training (step 20): shown as of step 4`,
    );

    // The run pauses at step 20: the weights hold still, so the view is recomputed at once.
    let release!: () => void;
    fake.handlers.analyze = (req) =>
      new Promise<AnalysisResult>((resolve) => {
        release = () => resolve(analysisFor(req, fake.revisions.get(req.modelId) ?? 0));
      });
    controller!.training.pause();
    await settle();
    expect(analysesOf('finetuned-1')).toBe(asked + 1);
    // Until the new numbers come, the old ones stay on show, marked as an earlier step.
    expect(a().revision).toBe(4);
    expect(revisionLag(store.getState(), a())).toMatchObject({ asOf: 4, now: 20, training: false });
    expect(revisionNotice(store.getState(), [a()])).toContain('shown as of step 4');
    release();
    await settle();
    expect(a().revision).toBe(20);
    expect(revisionLag(store.getState(), a())).toBeNull();
    expect(revisionNotice(store.getState(), [a()])).toBeNull();

    // Back to a model and to the fine-tune again: the page's cache has only step 20 to give.
    store.getState().setCompare({ a: 'mnist-standard' });
    await settle();
    release();
    await settle();
    store.getState().setCompare({ a: 'finetuned-1' });
    await settle();
    expect(a().revision).toBe(20);
  });

  it('exits: swept again at the end of the run, and readouts read the sweep on show', async () => {
    const { fake, store, step, emit, finish } = await openWithRun();
    for (let n = 1; n <= 10; n++) step(n);
    controller!.training.pause();
    await settle();
    store.getState().selectModel('finetuned-1');
    await settle();
    const shared = () => store.getState().results.exits.shared!;
    expect(shared()).toMatchObject({ request: { modelId: 'finetuned-1' }, revision: 10 });
    const readoutsAt = () =>
      fake
        .callsTo('exitReadout')
        .map(([req]) => req as ExitRequest)
        .filter((r) => r.modelId === 'finetuned-1')
        .map((r) => r.revision);
    expect(readoutsAt()).toContain(10);

    controller!.training.resume();
    for (let n = 11; n <= 30; n++) step(n);
    await settle();
    expect(revisionLag(store.getState(), shared())).toMatchObject({ asOf: 10, training: true });
    emit({ type: 'checkpoint', model: tuned(30) });
    emit({ type: 'state', state: 'done', step: 30 });
    finish(tuned(30));
    await settle();
    expect(shared().revision).toBe(30);
    expect(revisionLag(store.getState(), shared())).toBeNull();
    expect(readoutsAt().at(-1)).toBe(30);
    // The figures name the run by what it is, and the step.
    const caption = exitCaption('Early exit', [shared()], store.getState().results.models);
    expect(caption).toContain(`${RUN_NAME} @ step 30`);
    expect(caption).not.toContain('finetuned-');
  });
});
