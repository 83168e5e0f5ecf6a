import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { Dataset } from '../data/types';
import type { VisionConfig } from '../model/config';
import { disposeParams, initParams } from '../model/params';
import {
  createTrainer,
  DEFAULT_TRAIN_CONFIG,
  type EvalLog,
  type TrainConfig,
  type TrainLog,
} from './trainer';

/** A tiny image task a few steps can learn: class c = overall brightness level c (4 classes). */
function brightnessDataset(n: number, seed: number): Dataset {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647; // Park–Miller
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

export const TINY_VIT: VisionConfig = {
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

const quick: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  steps: 30,
  batchSize: 16,
  lr: 3e-3,
  warmupSteps: 5,
  logEvery: 1,
  evalEvery: 0,
  evalSamples: 64,
};

async function train(
  config: TrainConfig,
  modelConfig: VisionConfig = TINY_VIT,
): Promise<TrainLog[]> {
  const dataset = brightnessDataset(256, 7);
  const params = initParams(modelConfig, 3);
  const logs: TrainLog[] = [];
  const trainer = createTrainer({ config: modelConfig, params }, dataset, config, {
    onLog: (l) => logs.push(l),
  });
  await trainer.run();
  trainer.dispose();
  disposeParams(params);
  return logs;
}

describe('trainer on cpu', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it.each(['standard', 'aligned', 'multihead'] as const)(
    '%s: the loss falls over 30 steps',
    async (loss) => {
      const logs = await train(
        { ...quick, loss },
        { ...TINY_VIT, heads: loss === 'multihead' ? 'per-layer' : 'shared' },
      );
      expect(logs).toHaveLength(30);
      const first = logs.slice(0, 3).reduce((s, l) => s + l.loss, 0) / 3;
      const last = logs.slice(-3).reduce((s, l) => s + l.loss, 0) / 3;
      expect(last).toBeLessThan(first * 0.7);
      expect(logs[0].terms).toHaveLength(loss === 'standard' ? 1 : 3);
    },
  );

  it('the same seed repeats the loss sequence exactly', async () => {
    const a = await train({ ...quick, steps: 8 });
    const b = await train({ ...quick, steps: 8 });
    expect(a.map((l) => l.loss)).toEqual(b.map((l) => l.loss));
    const c = await train({ ...quick, steps: 8, seed: 1 });
    expect(c.map((l) => l.loss)).not.toEqual(a.map((l) => l.loss));
  });

  it('an abort ends a paused run at once, holding no tensor', async () => {
    const dataset = brightnessDataset(256, 7);
    const params = initParams(TINY_VIT, 3);
    const before = tf.memory().numTensors;
    // Paused: the abort wakes the run, which rejects instead of waiting for a resume.
    const controller = new AbortController();
    const steps: number[] = [];
    const trainer = createTrainer({ config: TINY_VIT, params }, dataset, quick, {
      onStep: (step) => {
        steps.push(step);
        if (step === 2) {
          trainer.pause();
          setTimeout(() => controller.abort(), 10);
        }
      },
      signal: controller.signal,
    });
    const outcome = await trainer.run().catch((e: Error) => e);
    expect((outcome as Error).name).toBe('TaskAbortedError');
    expect(trainer.state).toBe('stopped');
    expect(steps).toEqual([1, 2]);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(params);
  });

  it('evaluates at steps 1, 5, 10 and every interval on the quick subset, the last step on all', async () => {
    const dataset = brightnessDataset(256, 7);
    const params = initParams(TINY_VIT, 3);
    const evals: EvalLog[] = [];
    const config = { ...quick, steps: 24, evalEvery: 8, evalSamples: 64, quickEvalSamples: 16 };
    const trainer = createTrainer({ config: TINY_VIT, params }, dataset, config, {
      onEval: (e) => evals.push(e),
    });
    await trainer.run();
    expect(evals.map((e) => [e.step, e.n])).toEqual([
      [1, 16],
      [5, 16],
      [8, 16],
      [10, 16],
      [16, 16],
      [24, 64],
    ]);
    expect(evals.every((e) => e.accuracy.length === 3)).toBe(true);
    trainer.dispose();
    disposeParams(params);
  });

  it('stop during an evaluation ends the run at that step, dropping the evaluation', async () => {
    const dataset = brightnessDataset(256, 7);
    const params = initParams(TINY_VIT, 3);
    const before = tf.memory().numTensors;
    const evals: EvalLog[] = [];
    const steps: number[] = [];
    const trainer = createTrainer(
      { config: TINY_VIT, params },
      dataset,
      { ...quick, evalEvery: 10 },
      {
        // Step 5's evaluation starts right after its log; stop() lands while it runs.
        onLog: (log) => {
          if (log.step !== 5) return;
          setTimeout(() => trainer.stop(), 0);
        },
        onEval: (e) => evals.push(e),
        onStep: (step) => void steps.push(step),
      },
    );
    expect(await trainer.run()).toBe('stopped');
    expect(trainer.step).toBe(5);
    expect(steps.at(-1)).toBe(5);
    expect(evals.map((e) => e.step)).toEqual([1]);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(params);
  });

  it('a logged step reads the loss, its terms and the gradient norm back in one readback', async () => {
    const dataset = brightnessDataset(64, 7);
    const params = initParams(TINY_VIT, 3);
    const trainer = createTrainer({ config: TINY_VIT, params }, dataset, {
      ...quick,
      loss: 'aligned',
    });
    const reads = vi.spyOn(tf.Tensor.prototype, 'data');
    try {
      const log = await trainer.trainStep();
      expect(reads).toHaveBeenCalledTimes(1);
      expect(log!.terms).toHaveLength(3);
      expect(log!.terms.every((t) => t > 0)).toBe(true);
      expect(log!.loss).toBeGreaterThan(0);
      expect(log!.gradNorm).toBeGreaterThan(0);
    } finally {
      reads.mockRestore();
      trainer.dispose();
      disposeParams(params);
    }
  });

  it('leaks no tensor over 50 steps', async () => {
    await train({ ...quick, steps: 2 }); // warm-up
    const before = tf.memory().numTensors;
    await train({ ...quick, steps: 50, logEvery: 7 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
