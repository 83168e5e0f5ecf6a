import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi, type TrainEvent, type TrainRequest } from '../api';
import type { TrainSnapshot } from '../apiTypes';
import { readSafetensors } from '../io/safetensors';
import { nodeEngineHost } from '../nodeHost';
import { tinyPublicDir } from './testing';
import { initNodeBackend } from '../nodeBackend';

// The engine's resume and register entry points, each on a fresh engine (as after a reload).
const publicDir = () => tinyPublicDir('strata-resume-', 5);

const REQUEST: TrainRequest = {
  baseModelId: 'tiny-aligned',
  dataset: 'mnist',
  loss: 'aligned',
  weighting: 'linear',
  lr: 2e-3,
  batchSize: 8,
  steps: 6,
  seed: 1,
  evalEvery: 3,
};

const snapshotsOf = (events: TrainEvent[]): TrainSnapshot[] =>
  events.flatMap((e) => (e.type === 'snapshot' ? [e.snapshot] : []));

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  const x = readSafetensors(a, 'a').tensors;
  const y = new Map(readSafetensors(b, 'b').tensors.map((t) => [t.name, t.data]));
  let max = 0;
  for (const t of x) {
    const other = y.get(t.name)!;
    for (let i = 0; i < t.data.length; i++) max = Math.max(max, Math.abs(t.data[i] - other[i]));
  }
  return max;
}

describe('resume and register through the engine API (wasm)', () => {
  let dir: string;
  const fresh = async (): Promise<EngineApi> => {
    const engine = createEngine(nodeEngineHost(dir));
    await engine.init({ backend: 'wasm' });
    return engine;
  };
  let straight: TrainSnapshot[];

  beforeAll(async () => {
    await initNodeBackend('cpu');
    dir = await publicDir();
    const engine = await fresh();
    const events: TrainEvent[] = [];
    await engine.startTraining(REQUEST, (e) => events.push(e), { snapshotEvery: 2 });
    straight = snapshotsOf(events);
  });

  it('sends a snapshot every N steps and at the end, with the run request and data position', () => {
    expect(straight.map((s) => [s.step, s.state])).toEqual([
      [2, 'running'],
      [4, 'running'],
      [6, 'done'],
    ]);
    // MNIST has 60,000 training rows: 7,500 batches of 8 an epoch.
    expect(straight[1].dataPosition).toEqual({ epoch: 0, batch: 4 });
    expect(straight[0].request).toEqual(REQUEST);
    expect(straight[0].model.id).toBe('finetuned-1');
  });

  it('a reloaded engine resumes a snapshot: same model id, steps from k + 1, same weights', async () => {
    const engine = await fresh();
    const events: TrainEvent[] = [];
    const info = await engine.startTraining(REQUEST, (e) => events.push(e), {
      resumeFrom: straight[0],
      snapshotEvery: 2,
    });
    expect(info.id).toBe('finetuned-1');
    const steps = events.flatMap((e) => (e.type === 'log' ? [e.log.step] : []));
    expect(steps).toEqual([3, 4, 5, 6]);
    expect(
      events.filter((e) => e.type === 'eval').map((e) => e.type === 'eval' && e.log.step),
    ).toEqual([3, 5, 6]);
    const last = snapshotsOf(events).at(-1)!;
    expect(last.step).toBe(6);
    expect(maxDifference(last.weights, straight[2].weights)).toBeLessThanOrEqual(1e-6);
    expect((await engine.listModels()).map((m) => m.id)).toContain('finetuned-1');
  });

  it('pause sends a snapshot at the paused step; stop ends with a stopped one', async () => {
    const engine = await fresh();
    const events: TrainEvent[] = [];
    let paused = false;
    const run = engine.startTraining(
      REQUEST,
      (e) => {
        events.push(e);
        if (e.type === 'log' && e.log.step === 2 && !paused) {
          paused = true;
          void engine.pauseTraining();
        }
        if (e.type === 'snapshot' && e.snapshot.state === 'paused') void engine.stopTraining();
      },
      { snapshotEvery: 0 },
    );
    await run;
    expect(snapshotsOf(events).map((s) => [s.step, s.state])).toEqual([
      [2, 'paused'],
      [2, 'stopped'],
    ]);
  });

  it('refuses a snapshot under another request, naming the field', async () => {
    const engine = await fresh();
    await expect(
      engine.startTraining({ ...REQUEST, lr: 1 }, () => undefined, { resumeFrom: straight[0] }),
    ).rejects.toThrow(
      'snapshot of finetuned-1: request.lr is 1 but the snapshot was taken with 0.002',
    );
  });

  it('takes a custom layer weighting, and resumes it from a copied snapshot (as from storage)', async () => {
    const custom: TrainRequest = { ...REQUEST, weighting: [0.25, 0.75], steps: 2 };
    const engine = await fresh();
    const events: TrainEvent[] = [];
    await engine.startTraining(custom, (e) => events.push(e), { snapshotEvery: 1 });
    const [first] = snapshotsOf(events);
    expect(first.request.weighting).toEqual([0.25, 0.75]);
    const stored = structuredClone(first);
    const again = await fresh();
    const info = await again.startTraining(structuredClone(custom), () => undefined, {
      resumeFrom: stored,
    });
    expect(info.id).toBe(first.model.id);
    await expect(
      (await fresh()).startTraining({ ...custom, weighting: [0.5, 0.5] }, () => undefined, {
        resumeFrom: stored,
      }),
    ).rejects.toThrow(
      `snapshot of ${first.model.id}: request.weighting is [0.5,0.5] but the snapshot was taken with [0.25,0.75]`,
    );
  });

  it('registers a stored checkpoint for analysis; refuses duplicates and damaged files', async () => {
    const engine = await fresh();
    const done = straight[2];
    const info = await engine.registerCheckpoint({ ...done.model, numLayers: 99 }, done);
    expect(info).toMatchObject({ id: 'finetuned-1', numLayers: 2, builtin: false });
    expect((await engine.listModels()).map((m) => m.id)).toEqual(['tiny-aligned', 'finetuned-1']);
    const result = await engine.analyze({
      modelId: 'finetuned-1',
      dataset: 'mnist',
      samples: 16,
      seed: 0,
      pooling: 'cls',
      metrics: ['cosine'],
      finalNormInHead: true,
      batchSize: 16,
      rbfT: 0.5,
    });
    expect(result.accuracy).toHaveLength(3);
    await expect(engine.registerCheckpoint(done.model, done)).rejects.toThrow(
      'checkpoint "finetuned-1": a model with this id is already loaded',
    );
    await expect(
      engine.registerCheckpoint(
        { ...done.model, id: 'finetuned-2' },
        { weights: done.weights.slice(0, 100), config: done.config },
      ),
    ).rejects.toThrow(/finetuned-2\/model.safetensors/);
    expect((await engine.listModels()).map((m) => m.id)).not.toContain('finetuned-2');
    // A new run does not take an id that is already registered.
    const next = await engine.startTraining({ ...REQUEST, steps: 1 }, () => undefined, {
      avoidIds: ['finetuned-2'],
    });
    expect(next.id).toBe('finetuned-3');
    // A page hands out run numbers across its tabs: the run takes that one, or none if taken.
    const numbered = await engine.startTraining({ ...REQUEST, steps: 1 }, () => undefined, {
      runNumber: 7,
    });
    expect(numbered.id).toBe('finetuned-7');
    // Named by what it is; the same settings as finetuned-3, so its number tells them apart.
    expect(next.title).toBe('tiny-aligned → aligned, 1 step, lr 2e-3, seed 1');
    expect(numbered.title).toBe('tiny-aligned → aligned, 1 step, lr 2e-3, seed 1 #7');
    await expect(
      engine.startTraining({ ...REQUEST, steps: 1 }, () => undefined, { runNumber: 1 }),
    ).rejects.toThrow('startTraining: runNumber 1 names finetuned-1, which is taken');
  });

  it('leaks no tensor: resume and register keep only the model they register', async () => {
    const engine = await fresh();
    const tensorsPerModel = readSafetensors(straight[0].weights, 'w').tensors.length;
    await engine.registerCheckpoint({ ...straight[2].model, id: 'warm-up' }, straight[2]);
    let before = await engine.numTensors();
    await engine.registerCheckpoint({ ...straight[2].model, id: 'kept' }, straight[2]);
    expect(await engine.numTensors()).toBe(before + tensorsPerModel);
    before = await engine.numTensors();
    await expect(
      engine.registerCheckpoint(
        { ...straight[2].model, id: 'broken' },
        { weights: straight[2].weights, config: new TextEncoder().encode('{') },
      ),
    ).rejects.toThrow('broken/config.json: not valid UTF-8 JSON');
    expect(await engine.numTensors()).toBe(before);
    await engine.startTraining(REQUEST, () => undefined, { resumeFrom: straight[1] });
    expect(await engine.numTensors()).toBe(before + tensorsPerModel);
    before = await engine.numTensors();
    await engine.validateCheckpoint(straight[2], 'session.zip: checkpoints/a');
    await expect(
      engine.validateCheckpoint(
        { weights: straight[2].weights.slice(0, 64), config: straight[2].config },
        'session.zip: checkpoints/a',
      ),
    ).rejects.toThrow(/^session.zip: checkpoints\/a\/model.safetensors: /);
    expect(await engine.numTensors()).toBe(before);
  });
});
