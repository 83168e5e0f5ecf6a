import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { TrainRequest, TrainSnapshot } from '../apiTypes';
import type { Dataset } from '../data/types';
import type { VisionConfig } from '../model/config';
import { paramsToNamedArrays } from '../model/namedArrays';
import { disposeParams, initParams } from '../model/params';
import type { LoadedModel } from '../pipeline/evaluate';
import { modelForLoss } from '../train/heads';
import { writeSafetensors } from '../io/safetensors';
import { createTrainer, type TrainLog, type Trainer } from '../train/trainer';
import { captureSnapshot, restoreSnapshot } from './snapshot';
import { trainConfigOf } from './training';

/** Class c = brightness level c: a task a few steps can learn (as in trainer.test.ts). */
function brightnessDataset(n: number, seed: number): Dataset {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const make = (count: number) => {
    const x = new Uint8Array(count * 64);
    const y = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const c = Math.floor(rand() * 4);
      y[i] = c;
      for (let p = 0; p < 64; p++) x[i * 64 + p] = 20 + 60 * c + rand() * 40;
    }
    return { n: count, x, y };
  };
  return {
    name: 'brightness',
    title: 'Brightness levels',
    kind: 'image',
    classNames: ['dark', 'dim', 'bright', 'glaring'],
    inputShape: [8, 8, 1],
    train: make(n),
    test: make(64),
  };
}

const TINY_VIT: VisionConfig = {
  architecture: 'vit',
  imageSize: 8,
  patchSize: 4,
  numChannels: 1,
  hiddenSize: 16,
  numLayers: 3,
  numHeads: 2,
  mlpSize: 32,
  numClasses: 4,
  labels: ['dark', 'dim', 'bright', 'glaring'],
  layerNormEps: 1e-6,
  activation: 'gelu',
  norm: 'pre',
  qkvBias: true,
  embeddingNorm: false,
  finalNorm: true,
  pooler: false,
  heads: 'shared',
  pooling: 'cls',
};

// 96 rows, batch 16: 6 batches an epoch, so k = 9 stops mid-epoch and 2k = 18 crosses two epochs.
const K = 9;
const request = (loss: TrainRequest['loss']): TrainRequest => ({
  baseModelId: 'tiny',
  dataset: 'brightness',
  loss,
  weighting: 'linear',
  lr: 3e-3,
  batchSize: 16,
  steps: 2 * K,
  seed: 4,
  evalEvery: 4,
});
const INFO = {
  id: 'finetuned-1',
  title: 'tiny fine-tune',
  dataset: 'brightness',
  loss: 'aligned' as const,
  numLayers: 3,
  hiddenSize: 16,
  numClasses: 4,
  kind: 'image' as const,
  perLayerHeads: false,
  builtin: false,
  revision: 0,
};

const data = brightnessDataset(96, 11);
const freshModel = (loss: TrainRequest['loss']): LoadedModel =>
  modelForLoss({ config: TINY_VIT, params: initParams(TINY_VIT, 3) }, loss, 4);

async function weightsOf(model: LoadedModel): Promise<Map<string, Float32Array>> {
  return new Map(
    (await paramsToNamedArrays(model.params, model.config)).map((a) => [a.name, a.data]),
  );
}

function maxDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  expect([...a.keys()]).toEqual([...b.keys()]);
  let max = 0;
  for (const [name, x] of a) {
    const y = b.get(name)!;
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
  }
  return max;
}

/** Runs a trainer until it pauses itself at `k`, then snapshots it there. */
async function pauseAndSnapshot(
  model: LoadedModel,
  req: TrainRequest,
  logs: TrainLog[],
): Promise<TrainSnapshot> {
  let trainer: Trainer | null = null;
  let paused!: () => void;
  const atK = new Promise<void>((resolve) => (paused = resolve));
  trainer = createTrainer(model, data, trainConfigOf(req), {
    onLog: (l) => logs.push(l),
    onStep: (step) => {
      if (step === K) {
        trainer!.pause();
        paused();
      }
    },
  });
  const running = trainer.run();
  await atK;
  const snapshot = await captureSnapshot({
    model,
    trainer,
    info: INFO,
    request: req,
    state: 'paused',
    trainRows: data.train.n,
  });
  trainer.stop();
  expect(await running).toBe('stopped');
  expect(trainer.step).toBe(K);
  trainer.dispose();
  return snapshot;
}

describe('resumable training snapshots (cpu)', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it.each(['aligned', 'multihead', 'standard'] as const)(
    '%s: paused at k, snapshotted, restored into a fresh trainer = the uninterrupted 2k-step run',
    async (loss) => {
      const req = request(loss);
      // The uninterrupted run.
      const straight = freshModel(loss);
      const straightLogs: TrainLog[] = [];
      const t1 = createTrainer(straight, data, trainConfigOf(req), {
        onLog: (l) => straightLogs.push(l),
      });
      expect(await t1.run()).toBe('done');
      t1.dispose();
      const expected = await weightsOf(straight);
      disposeParams(straight.params);

      // Paused at k: snapshot, then throw the trainer and its model away.
      const first = freshModel(loss);
      const firstLogs: TrainLog[] = [];
      const snapshot = await pauseAndSnapshot(first, req, firstLogs);
      disposeParams(first.params);
      expect(snapshot.step).toBe(K);
      expect(snapshot.dataPosition).toEqual({ epoch: 1, batch: 3 });
      expect(firstLogs.map((l) => l.loss)).toEqual(straightLogs.slice(0, K).map((l) => l.loss));

      // Restored from the bytes alone into a fresh trainer, continued to 2k.
      const { model, resume } = restoreSnapshot(snapshot, 'snapshot');
      expect(resume.step).toBe(K);
      expect(resume.optimizer.step).toBe(K);
      const restLogs: TrainLog[] = [];
      const t2 = createTrainer(
        model,
        data,
        trainConfigOf(req),
        { onLog: (l) => restLogs.push(l) },
        resume,
      );
      expect(await t2.run()).toBe('done');
      expect(t2.step).toBe(2 * K);
      t2.dispose();
      const resumed = await weightsOf(model);
      disposeParams(model.params);

      expect(restLogs.map((l) => l.step)).toEqual(straightLogs.slice(K).map((l) => l.step));
      expect(restLogs.map((l) => l.lr)).toEqual(straightLogs.slice(K).map((l) => l.lr));
      for (let i = 0; i < restLogs.length; i++)
        expect(restLogs[i].loss).toBeCloseTo(straightLogs[K + i].loss, 5);
      expect(maxDifference(resumed, expected)).toBeLessThanOrEqual(1e-6);
      // …and the run did move the weights (the comparison is not between two untrained models).
      const untrained = freshModel(loss);
      const initial = await weightsOf(untrained);
      disposeParams(untrained.params);
      expect(maxDifference(initial, expected)).toBeGreaterThan(1e-3);
    },
  );

  it('the moments matter: resuming with zeroed moments ends elsewhere', async () => {
    const req = request('aligned');
    const straight = freshModel('aligned');
    const t1 = createTrainer(straight, data, trainConfigOf(req));
    await t1.run();
    t1.dispose();
    const expected = await weightsOf(straight);
    disposeParams(straight.params);
    const first = freshModel('aligned');
    const snapshot = await pauseAndSnapshot(first, req, []);
    disposeParams(first.params);
    const { model, resume } = restoreSnapshot(snapshot, 'snapshot');
    const zeroed = {
      step: K,
      optimizer: {
        step: K,
        m: resume.optimizer.m.map((a) => new Float32Array(a.length)),
        v: resume.optimizer.v.map((a) => new Float32Array(a.length)),
      },
    };
    const t2 = createTrainer(model, data, trainConfigOf(req), {}, zeroed);
    await t2.run();
    t2.dispose();
    expect(maxDifference(await weightsOf(model), expected)).toBeGreaterThan(1e-4);
    disposeParams(model.params);
    const empty = { step: K, optimizer: { step: 0, m: [], v: [] } };
    const again = freshModel('aligned');
    const before = tf.memory().numTensors;
    expect(() => createTrainer(again, data, trainConfigOf(req), {}, empty)).toThrow(
      /AdamW.restoreState: 0 first and 0 second moments for \d+ variables/,
    );
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(again.params);
  });

  it('rejects a damaged snapshot with the file and tensor named, and frees what it loaded', async () => {
    const first = freshModel('aligned');
    const snapshot = await pauseAndSnapshot(first, request('aligned'), []);
    disposeParams(first.params);
    const before = tf.memory().numTensors;
    const noMoments = { ...snapshot, optimizer: writeSafetensors([], { adamw_step: '9' }) };
    expect(() => restoreSnapshot(noMoments, 'run.snapshot')).toThrow(
      /run.snapshot\/optimizer.safetensors: tensor "m\.[^"]+" is missing/,
    );
    expect(() => restoreSnapshot({ ...snapshot, step: 99 }, 'run.snapshot')).toThrow(
      'run.snapshot: step 99, expected a whole number from 0 to 18',
    );
    expect(() =>
      restoreSnapshot({ ...snapshot, weights: snapshot.weights.slice(0, 20) }, 'run.snapshot'),
    ).toThrow(/run.snapshot\/model.safetensors/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensor: capture and restore', async () => {
    const model = freshModel('aligned');
    const req = request('aligned');
    const trainer = createTrainer(model, data, trainConfigOf(req));
    await trainer.trainStep();
    const args = {
      model,
      trainer,
      info: INFO,
      request: req,
      state: 'running' as const,
      trainRows: 96,
    };
    await captureSnapshot(args); // warm-up
    const before = tf.memory().numTensors;
    const snapshot = await captureSnapshot(args);
    expect(tf.memory().numTensors).toBe(before);
    const restored = restoreSnapshot(snapshot, 'snapshot');
    disposeParams(restored.model.params);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    disposeParams(model.params);
  });
});
