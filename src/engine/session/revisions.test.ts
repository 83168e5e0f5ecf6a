import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi, type TrainEvent, type TrainRequest } from '../api';
import type { ExitRequest, ModelInfo } from '../apiTypes';
import { initNodeBackend } from '../nodeBackend';
import { nodeEngineHost } from '../nodeHost';
import { tf } from '../tf';
import { tinyPublicDir } from './testing';

// A fine-tune trains in place under one id: every result must say which weights it is of, and
// nothing computed on earlier weights may come back as the model's current numbers.
const REQUEST: TrainRequest = {
  baseModelId: 'tiny-aligned',
  dataset: 'mnist',
  loss: 'aligned',
  weighting: 'linear',
  lr: 5e-3,
  batchSize: 8,
  steps: 40,
  seed: 3,
  evalEvery: 0,
};

const exitsOf = (modelId: string, revision?: number): ExitRequest => ({
  modelId,
  dataset: 'mnist',
  samples: 64,
  seed: 2,
  rule: 'confidence',
  ...(revision === undefined ? {} : { revision }),
});

describe('model revisions through the engine API (wasm)', () => {
  let engine: EngineApi;
  const events: TrainEvent[] = [];
  let pauseAt = 3;
  let paused: () => void = () => undefined;
  let run: Promise<ModelInfo>;

  /** Resumes the run and waits until it has paused again at step `at`. */
  const trainUntil = async (at: number) => {
    pauseAt = at;
    const reached = new Promise<void>((resolve) => (paused = resolve));
    await engine.resumeTraining();
    await reached;
  };

  beforeAll(async () => {
    await initNodeBackend('cpu');
    engine = createEngine(nodeEngineHost(await tinyPublicDir('strata-revisions-', 4)));
    await engine.init({ backend: 'wasm' });
    const first = new Promise<void>((resolve) => (paused = resolve));
    run = engine.startTraining(REQUEST, (e) => {
      events.push(e);
      if (e.type === 'log' && e.log.step === pauseAt) void engine.pauseTraining();
      if (e.type === 'state' && e.state === 'paused') paused();
    });
    await first;
  });

  it('gives the fine-tune a revision that follows its steps, in the model list and checkpoint events', async () => {
    const listed = (await engine.listModels()).find((m) => m.id === 'finetuned-1')!;
    expect(listed.revision).toBe(3);
    expect((await engine.listModels()).find((m) => m.id === 'tiny-aligned')!.revision).toBe(0);
    const checkpoints = events.flatMap((e) => (e.type === 'checkpoint' ? [e.model.revision] : []));
    // One when the run starts, one when it pauses (the weights then hold still).
    expect(checkpoints).toEqual([0, 3]);
  });

  it('sweeps exits again after more training, instead of serving the earlier weights from its cache', async () => {
    const before = await engine.exitTradeoff(exitsOf('finetuned-1'));
    expect(before.revision).toBe(3);
    const analysisBefore = await engine.analyze({
      modelId: 'finetuned-1',
      dataset: 'mnist',
      samples: 32,
      seed: 2,
      pooling: 'cls',
      metrics: ['cosine'],
      finalNormInHead: true,
      batchSize: 32,
      rbfT: 0.5,
    });
    expect(analysisBefore.revision).toBe(3);

    await trainUntil(12);
    const after = await engine.exitTradeoff(exitsOf('finetuned-1'));
    expect(after.revision).toBe(12);
    expect(after.tradeoff.points).not.toEqual(before.tradeoff.points);

    // Readouts come from the sweep they are asked of: the one on show, or the newest.
    const oldReadout = await engine.exitReadout(exitsOf('finetuned-1', 3), 0.5);
    const newReadout = await engine.exitReadout(exitsOf('finetuned-1'), 0.5);
    const at = (points: typeof before.tradeoff.points) => points.find((p) => p.threshold === 0.5);
    expect(oldReadout.point).toEqual(at(before.tradeoff.points));
    expect(newReadout.point).toEqual(at(after.tradeoff.points));
  });

  it('copies a model in training for a computation and frees the copy', async () => {
    const req = exitsOf('finetuned-1');
    await engine.exitTradeoff(req); // warm-up: cached scores of this revision
    const before = tf.memory().numTensors;
    await engine.exitTradeoff({ ...req, seed: 5 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ends at the last step: the returned model, the list and the last checkpoint agree', async () => {
    pauseAt = -1;
    await engine.resumeTraining();
    const done = await run;
    expect(done.revision).toBe(REQUEST.steps);
    expect((await engine.listModels()).find((m) => m.id === 'finetuned-1')!.revision).toBe(
      REQUEST.steps,
    );
    const last = events.filter((e) => e.type === 'checkpoint').at(-1);
    expect(last).toMatchObject({ model: { revision: REQUEST.steps } });
    const snapshot = events.filter((e) => e.type === 'snapshot').at(-1);
    expect(snapshot).toMatchObject({
      snapshot: { model: { revision: REQUEST.steps }, step: REQUEST.steps },
    });
    expect((await engine.exitTradeoff(exitsOf('finetuned-1'))).revision).toBe(REQUEST.steps);
  });

  it('registers saved weights at the revision they record, whatever the saved record says', async () => {
    const last = events.flatMap((e) => (e.type === 'snapshot' ? [e.snapshot] : [])).at(-1)!;
    // A record that disagrees with its weights (or, saved before revisions, has none).
    const info = { ...last.model, id: 'finetuned-9', revision: 2 };
    const registered = await engine.registerCheckpoint(info, last);
    expect(registered.revision).toBe(REQUEST.steps);
    const result = await engine.exitTradeoff(exitsOf('finetuned-9'));
    expect(result.revision).toBe(REQUEST.steps);
  });
});
