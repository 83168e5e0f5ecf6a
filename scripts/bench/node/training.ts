import type { Dataset } from '../../../src/engine/data/types';
import { PRESETS } from '../../../src/engine/model/config';
import { forward } from '../../../src/engine/model/forward';
import { disposeParams, initParams, paramVariables } from '../../../src/engine/model/params';
import type { LoadedModel } from '../../../src/engine/pipeline/evaluate';
import { inputBatch, labelsOf } from '../../../src/engine/pipeline/inputs';
import { tf } from '../../../src/engine/tf';
import type { Scalar } from '../../../src/engine/tf';
import { AdamW } from '../../../src/engine/train/adamw';
import { trainingLoss } from '../../../src/engine/train/losses';
import { layerWeights } from '../../../src/engine/train/schedule';
import {
  createTrainer,
  DEFAULT_TRAIN_CONFIG,
  type TrainConfig,
  type Trainer,
} from '../../../src/engine/train/trainer';
import { normalSource } from '../data';
import { countedGpuWork } from '../gpu/active';
import type { GpuCounts } from '../gpu/counter';
import { timeRepeated, type RepeatOptions, type Timing } from '../stats';
import type { KernelShare } from '../types';

export interface TrainingTask {
  kind: 'training';
  batch: number;
  repeat: RepeatOptions;
  /** Also take a tf.profile kernel breakdown of one step. */
  profile: boolean;
}

export interface TrainingOutcome {
  timing: Timing;
  /** The step's parts on the same model and batch: forward + loss, and forward + loss + backward. */
  phases: { forward: Timing; forwardBackward: Timing; adamw: Timing };
  parameters: number;
  /** Parameter tensors (what AdamW updates one by one). */
  tensors: number;
  losses: number[];
  /** WebGPU work of the last timed step (webgpu only). */
  gpu?: GpuCounts;
  profile?: {
    totalMs: number;
    wallMs: number;
    kernels: KernelShare[];
    byShape: KernelShare[];
    categories: KernelShare[];
    /** Calls of tf.customGrad functions (Strata's matMul and tokenEmbed), each saving 2 tensors or fewer. */
    customGradCalls: number;
  };
}

/**
 * MNIST-shaped random data (uint8 pixels [28, 28, 1], 10 classes): a training step costs the
 * same whatever the pixel values are, and the benchmark needs no dataset on disk.
 */
export function randomImageDataset(rows: number, seed: number): Dataset {
  const normal = normalSource(seed);
  const split = (n: number) => ({
    n,
    x: Uint8Array.from({ length: n * 784 }, () => Math.min(255, Math.abs(normal()) * 100)),
    y: Uint8Array.from({ length: n }, (_, i) => (i * 7 + Math.floor(Math.abs(normal()) * 3)) % 10),
  });
  return {
    name: 'random-mnist',
    title: 'random MNIST-shaped data',
    kind: 'image',
    classNames: PRESETS['vit-mnist'].labels,
    inputShape: [28, 28, 1],
    train: split(rows),
    test: split(Math.max(rows, 64)),
  };
}

/** The default built-in ViT, freshly initialised, with a trainer for the aligned loss. */
export function vitTrainer(
  batch: number,
  overrides: Partial<TrainConfig> = {},
): { model: LoadedModel; trainer: Trainer; dataset: Dataset } {
  const config = PRESETS['vit-mnist'];
  const model: LoadedModel = { config, params: initParams(config, 0) };
  const dataset = randomImageDataset(batch * 8, 1);
  const trainer = createTrainer(model, dataset, {
    ...DEFAULT_TRAIN_CONFIG,
    loss: 'aligned',
    weighting: 'linear',
    batchSize: batch,
    steps: 1_000_000,
    // A readback every step: the timed step has finished when trainStep resolves.
    logEvery: 1,
    evalEvery: 0,
    ...overrides,
  });
  return { model, trainer, dataset };
}

interface ProfiledKernel {
  name: string;
  /** A number once tf.profile has resolved it (an error object where timing failed). */
  kernelTimeMs: number | { error: string } | Promise<unknown>;
  inputShapes: number[][];
}

/** Aggregates a profile's kernels under `key` (e.g. the name), largest total first. */
export function kernelShares(
  kernels: readonly ProfiledKernel[],
  key: (k: ProfiledKernel) => string = (k) => k.name,
): KernelShare[] {
  const groups = new Map<string, KernelShare>();
  for (const k of kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const share = groups.get(key(k)) ?? { kernel: key(k), calls: 0, ms: 0 };
    share.calls += 1;
    share.ms += ms;
    groups.set(key(k), share);
  }
  return [...groups.values()].sort((a, b) => b.ms - a.ms);
}

/** Groups that point at a fast path (see scripts/bench/explain.ts). */
export function kernelCategory(k: ProfiledKernel): string {
  if (k.name === 'BatchMatMul') {
    return k.inputShapes.some((s) => s.length > 2)
      ? 'BatchMatMul, batched (attention)'
      : 'BatchMatMul, 2-D (linear layers)';
  }
  if (k.name === 'Identity') return 'Identity (copies of tensors saved for backward)';
  return 'other kernels (elementwise, reductions, layout)';
}

const withShapes = (k: ProfiledKernel) =>
  `${k.name} ${k.inputShapes.map((s) => `[${s.join(',')}]`).join(' ')}`;

/**
 * Times the parts of a step the way trainer.ts runs them: forward + aligned loss alone, and with
 * the backward pass (tf.variableGrads), each ending in a loss readback; and AdamW's update alone
 * (on fixed gradients, ending in the gradient norm's readback).
 */
async function timePhases(
  model: LoadedModel,
  dataset: Dataset,
  batch: number,
  repeat: RepeatOptions,
): Promise<TrainingOutcome['phases']> {
  const indices = Int32Array.from({ length: batch }, (_, i) => i);
  const weights = layerWeights('linear', model.config.numLayers);
  const loss = (): Scalar => {
    const input = inputBatch(dataset, dataset.train, indices);
    const labels = labelsOf(dataset.train, indices);
    const capture = forward(model.params, model.config, input, { layers: 'all' });
    return trainingLoss(capture, labels, 'aligned', weights).total;
  };
  const readBack = async (value: Scalar) => {
    // sync point: the loss, so that the timed work has finished.
    await value.data();
    value.dispose();
  };
  const forwardTiming = await timeRepeated(() => readBack(tf.tidy(loss)), repeat);
  const variables = paramVariables(model.params);
  const forwardBackward = await timeRepeated(async () => {
    const value = tf.tidy(() => {
      const { value: v, grads } = tf.variableGrads(loss, variables);
      tf.dispose(Object.values(grads));
      return v;
    });
    await readBack(value);
  }, repeat);
  const grads = tf.tidy(() => {
    const { value, grads: byName } = tf.variableGrads(loss, variables);
    value.dispose();
    return variables.map((v) => byName[v.name]);
  });
  const optimizer = new AdamW(variables, { weightDecay: 0.01, clipNorm: 1 });
  const adamw = await timeRepeated(async () => {
    const norm = optimizer.apply(grads, 1e-3);
    // sync point: the gradient norm, so that the update has run.
    await norm.data();
    norm.dispose();
  }, repeat);
  optimizer.dispose();
  tf.dispose(grads);
  return { forward: forwardTiming, forwardBackward, adamw };
}

/** Times trainer.trainStep (forward, aligned loss, backward, AdamW, loss readback). */
export async function runTraining(task: TrainingTask): Promise<TrainingOutcome> {
  const { model, trainer, dataset } = vitTrainer(task.batch);
  const losses: number[] = [];
  let gpu: GpuCounts | undefined;
  try {
    const timing = await timeRepeated(async () => {
      const { value: log, counts } = await countedGpuWork(() => trainer.trainStep());
      if (log) losses.push(log.loss);
      gpu = counts;
    }, task.repeat);
    const out: TrainingOutcome = {
      timing,
      gpu,
      phases: await timePhases(model, dataset, task.batch, task.repeat),
      parameters: paramVariables(model.params).reduce((s, v) => s + v.size, 0),
      tensors: paramVariables(model.params).length,
      losses: [losses[0], losses[losses.length - 1]],
    };
    if (task.profile) {
      const start = performance.now();
      const info = await tf.profile(async () => {
        await trainer.trainStep();
        return [];
      });
      const wallMs = performance.now() - start;
      // A tf.customGrad call (ours: `forward`; tfjs's own, e.g. `logSoftmax__op`) is profiled as a
      // pseudo-kernel wrapping kernels that are profiled too: keep registered kernels only, so that
      // nothing is counted twice.
      const backend = tf.getBackend();
      const own = info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined);
      const kernels = kernelShares(own);
      out.profile = {
        customGradCalls: info.kernels.filter((k) => k.name === 'forward').length,
        totalMs: kernels.reduce((s, k) => s + k.ms, 0),
        wallMs,
        kernels,
        byShape: kernelShares(own, withShapes).slice(0, 15),
        categories: kernelShares(own, kernelCategory),
      };
    }
    return out;
  } finally {
    trainer.dispose();
    disposeParams(model.params);
  }
}
