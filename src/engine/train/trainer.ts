import { tf } from '../tf';
import type { Scalar, Tensor, Variable } from '../tf';
import type { Dataset } from '../data/types';
import { sampleIndices, seededBatches } from '../data/order';
import { forward } from '../model/forward';
import { isTaskAborted, throwIfAborted } from '../tasks';
import { paramVariables } from '../model/params';
import { collectExitLogits, layerAccuracyAndLoss, type LoadedModel } from '../pipeline/evaluate';
import { inputBatch, inputTensors, labelsOf } from '../pipeline/inputs';
import { AdamW } from './adamw';
import { trainingLoss } from './losses';
import { evaluationAt, quickEvalRows, type EvalKind } from './evalSchedule';
import { layerWeights, learningRate } from './schedule';
import type { EvalLog, TrainConfig, TrainLog } from './trainConfig';
import { readStepLog, startClock, stepClock } from './stepLog';

export { DEFAULT_TRAIN_CONFIG } from './trainConfig';
export type { EvalLog, TrainConfig, TrainLog } from './trainConfig';

export interface TrainerCallbacks {
  onLog?(log: TrainLog): void;
  onEval?(log: EvalLog): void;
  /** After every step (and its log and eval); run() awaits it, so a snapshot here is consistent. */
  onStep?(step: number): void | Promise<void>;
  /**
   * Stops run() between steps (a paused run at once) and an evaluation between batches with a
   * TaskAbortedError (tasks.ts).
   */
  signal?: AbortSignal;
}

/** Where a saved run stood: restored, the trainer continues the same run (same batches, same lr). */
export interface TrainerResume {
  /** Steps already taken; the seeded data order and the lr schedule are functions of it. */
  step: number;
  /** AdamW's moments, aligned with paramVariables(model.params), and its step count. */
  optimizer: { step: number; m: ArrayLike<number>[]; v: ArrayLike<number>[] };
}

export type TrainerState = 'idle' | 'running' | 'paused' | 'stopped' | 'done';

/** A training run as a stepper: step, run, pause, resume, stop. */
export interface Trainer {
  readonly step: number;
  readonly state: TrainerState;
  /**
   * One optimisation step; returns the log when the step is on a log interval. An evaluation
   * stop() cuts short is dropped: the step stands.
   */
  trainStep(): Promise<TrainLog | null>;
  /** Steps until `config.steps`, yielding between steps so pause and stop take effect. */
  run(): Promise<'done' | 'stopped'>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Per-layer test accuracy on the whole evaluation sample, or on its quick subset. */
  evaluate(kind?: EvalKind): Promise<EvalLog>;
  /** Copies of the optimiser's moments as they are now; the caller disposes them. */
  captureOptimizer(): { step: number; m: Tensor[]; v: Tensor[] };
  /** Frees the optimiser's state (the model's parameters stay with their owner). */
  dispose(): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createTrainer(
  model: LoadedModel,
  dataset: Dataset,
  config: TrainConfig,
  callbacks: TrainerCallbacks = {},
  resume?: TrainerResume,
): Trainer {
  const { params } = model;
  const L = model.config.numLayers;
  if (config.loss === 'multihead' && model.config.heads !== 'per-layer') {
    throw new Error(
      'multihead training needs a model with per-layer heads (config heads: "per-layer")',
    );
  }
  if (config.batchSize > dataset.train.n) {
    throw new Error(
      `batch size ${config.batchSize} exceeds the ${dataset.train.n} training rows of ${dataset.name}`,
    );
  }
  const weights = config.loss === 'standard' ? [1] : layerWeights(config.weighting, L);
  const variables: Variable[] = paramVariables(params);
  const optimizer = new AdamW(variables, {
    weightDecay: config.weightDecay,
    clipNorm: config.clipNorm,
  });
  const schedule = { peak: config.lr, warmupSteps: config.warmupSteps, totalSteps: config.steps };
  const evalIndices = sampleIndices(
    dataset.test.n,
    Math.min(config.evalSamples, dataset.test.n),
    config.seed,
  );

  let step = 0;
  if (resume) {
    try {
      if (!Number.isSafeInteger(resume.step) || resume.step < 0 || resume.step > config.steps)
        throw new Error(
          `createTrainer: resume at step ${resume.step}, expected a whole number from 0 to ${config.steps}`,
        );
      optimizer.restoreState(resume.optimizer);
    } catch (e) {
      optimizer.dispose(); // nothing else holds it yet
      throw e;
    }
    step = resume.step;
  }
  let state: TrainerState = 'idle';
  let resumeWaiter: (() => void) | null = null;
  const clock = stepClock(step);
  // Aborted by stop(): an evaluation in flight ends between its batches, not at its end.
  let stopEvaluation = new AbortController();

  const batchIndices = seededBatches(dataset.train.n, config.batchSize, config.seed);

  async function trainStep(): Promise<TrainLog | null> {
    startClock(clock);
    const indices = batchIndices(step);
    const lr = learningRate(step, schedule);
    let terms: Tensor | null = null;
    const { loss, gradNorm } = tf.tidy(() => {
      const input = inputBatch(dataset, dataset.train, indices);
      const labels = labelsOf(dataset.train, indices);
      const { value, grads } = tf.variableGrads(() => {
        const capture = forward(params, model.config, input, {
          layers: config.loss === 'standard' ? 'last' : 'all',
        });
        const parts = trainingLoss(capture, labels, config.loss, weights);
        terms = tf.keep(tf.stack(parts.terms));
        return parts.total;
      }, variables);
      const gradNorm = optimizer.apply(
        variables.map((v) => grads[v.name]),
        lr,
      );
      inputTensors(input).forEach((t) => t.dispose());
      return { loss: value as Scalar, gradNorm };
    });
    step += 1;
    const isLog = step % config.logEvery === 0 || step === config.steps;
    let log: TrainLog | null = null;
    if (isLog) {
      // One tensor for the three: on WebGPU each readback is its own buffer mapping.
      const packed = tf.tidy(() =>
        tf.concat([tf.reshape(loss, [1]), terms!, tf.reshape(gradNorm, [1])]),
      );
      log = await readStepLog(packed, step, lr, clock);
      callbacks.onLog?.(log);
    }
    loss.dispose();
    gradNorm.dispose();
    terms!.dispose();
    const kind = evaluationAt(step, config.evalEvery, config.steps);
    if (kind && state !== 'stopped') {
      const evaluated = await evaluate(kind).catch((e: unknown) => {
        if (state === 'stopped' && isTaskAborted(e)) return null;
        throw e;
      });
      if (evaluated) callbacks.onEval?.(evaluated);
    }
    await callbacks.onStep?.(step);
    return log;
  }

  async function evaluate(kind: EvalKind = 'full'): Promise<EvalLog> {
    const rows =
      kind === 'full'
        ? evalIndices
        : evalIndices.subarray(0, quickEvalRows(evalIndices.length, config.quickEvalSamples));
    const { signal } = callbacks;
    const stopped = stopEvaluation.signal;
    const logits = await collectExitLogits(model, dataset, dataset.test, rows, {
      heads: config.loss === 'multihead' ? 'multihead' : 'aligned',
      signal: signal ? AbortSignal.any([signal, stopped]) : stopped,
    });
    return { step, n: rows.length, ...layerAccuracyAndLoss(logits) };
  }

  return {
    get step() {
      return step;
    },
    get state() {
      return state;
    },
    trainStep,
    async run() {
      state = 'running';
      if (stopEvaluation.signal.aborted) stopEvaluation = new AbortController();
      // Read through a function: pause() and stop() change `state` while this loop awaits.
      const current = (): TrainerState => state;
      const { signal } = callbacks;
      const wake = () => {
        resumeWaiter?.();
        resumeWaiter = null;
      };
      signal?.addEventListener('abort', wake);
      try {
        while (step < config.steps) {
          throwIfAborted(signal, `training at step ${step}`);
          if (current() === 'stopped') return 'stopped';
          if (current() === 'paused') {
            await new Promise<void>((resolve) => (resumeWaiter = resolve));
            continue;
          }
          await trainStep();
          await yieldToEventLoop();
        }
      } catch (e) {
        state = 'stopped';
        throw e;
      } finally {
        signal?.removeEventListener('abort', wake);
      }
      state = 'done';
      return 'done';
    },
    pause() {
      if (state === 'running') state = 'paused';
    },
    resume() {
      if (state === 'paused') state = 'running';
      resumeWaiter?.();
      resumeWaiter = null;
    },
    stop() {
      state = 'stopped';
      stopEvaluation.abort();
      resumeWaiter?.();
      resumeWaiter = null;
    },
    evaluate,
    captureOptimizer: () => optimizer.captureState(),
    dispose() {
      optimizer.dispose();
    },
  };
}
