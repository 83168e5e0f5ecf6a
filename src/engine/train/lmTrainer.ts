// Fine-tuning a decoder language model on token ids with the standard or the aligned LM loss:
// the classifiers' recipe (seeded batch order, AdamW, warm-up and cosine lr, λ schedules) on
// next-token prediction.
import { tf } from '../tf';
import type { Scalar, Tensor, Variable } from '../tf';
import { seededBatches } from '../data/order';
import type { DecoderInput } from '../decoder/decoderInput';
import type { DecoderParams } from '../decoder/decoderWeights';
import { AdamW } from './adamw';
import { lmBatch, lmLoss } from './lmLoss';
import { layerWeights, learningRate, type LayerWeighting } from './schedule';
import type { TrainerResume } from './trainer';
import type { TrainLog } from './trainConfig';
import { readStepLog, startClock, stepClock } from './stepLog';

/** Everything that decides an LM fine-tune; the same values and seed repeat it on one backend. */
export interface LmTrainConfig {
  loss: 'standard' | 'aligned';
  weighting: LayerWeighting;
  steps: number;
  batchSize: number;
  lr: number;
  warmupSteps: number;
  weightDecay: number;
  clipNorm: number;
  seed: number;
  /** Read the loss back every `logEvery` steps (and on the last). */
  logEvery: number;
}

let variableRuns = 0;

/**
 * Makes every tensor of `params` a trainable variable in place (the map keeps its order, which
 * is the order of the returned list and of the optimiser's saved moments).
 */
export function decoderVariables(params: DecoderParams): Variable[] {
  const out: Variable[] = [];
  for (const [key, t] of params.tensors) {
    if (t instanceof tf.Variable) {
      out.push(t);
      continue;
    }
    const v = tf.variable(t, true, `lm${++variableRuns}/${key}`);
    t.dispose();
    params.tensors.set(key, v);
    out.push(v);
  }
  return out;
}

/** The rows at `indices` of an input, copied. */
function gatherRows(input: DecoderInput, indices: ArrayLike<number>): DecoderInput {
  const { t } = input;
  const n = indices.length;
  const ids = new Int32Array(n * t);
  const mask = new Float32Array(n * t);
  for (let r = 0; r < n; r++) {
    const from = indices[r] * t;
    ids.set(input.ids.subarray(from, from + t), r * t);
    mask.set(input.mask.subarray(from, from + t), r * t);
  }
  return { n, t, ids, mask };
}

export interface LmTrainer {
  readonly step: number;
  /** One optimisation step; the log when the step is on a log interval. */
  trainStep(): Promise<TrainLog | null>;
  /** Steps until `config.steps`; `onStep` runs after each (a checkpoint may be saved there). */
  run(onStep?: (step: number) => void | Promise<void>): Promise<void>;
  /** Copies of the optimiser's moments as they are now; the caller disposes them. */
  captureOptimizer(): { step: number; m: Tensor[]; v: Tensor[] };
  /** Frees the optimiser's state (the parameters stay with their owner). */
  dispose(): void;
}

/** λ_1..λ_L for aligned, [1] (the last layer) for standard. */
export function lmLossWeights(config: LmTrainConfig, numLayers: number): number[] {
  return config.loss === 'standard' ? [1] : layerWeights(config.weighting, numLayers);
}

export function createLmTrainer(
  params: DecoderParams,
  train: DecoderInput,
  config: LmTrainConfig,
  callbacks: { onLog?(log: TrainLog): void } = {},
  resume?: TrainerResume,
): LmTrainer {
  const c = params.config;
  if (c.numClasses !== undefined)
    throw new Error(
      `LM fine-tuning: ${c.architecture} has a classification head, expected a language model`,
    );
  if (config.batchSize > train.n)
    throw new Error(
      `LM fine-tuning: batch size ${config.batchSize} exceeds the ${train.n} rows of input_ids`,
    );
  const weights = lmLossWeights(config, c.numLayers);
  const variables = decoderVariables(params);
  const optimizer = new AdamW(variables, {
    weightDecay: config.weightDecay,
    clipNorm: config.clipNorm,
  });
  let step = 0;
  if (resume) {
    try {
      if (!Number.isSafeInteger(resume.step) || resume.step < 0 || resume.step > config.steps)
        throw new Error(
          `createLmTrainer: resume at step ${resume.step}, expected a whole number from 0 to ${config.steps}`,
        );
      optimizer.restoreState(resume.optimizer);
    } catch (e) {
      optimizer.dispose();
      throw e;
    }
    step = resume.step;
  }
  const schedule = { peak: config.lr, warmupSteps: config.warmupSteps, totalSteps: config.steps };
  const clock = stepClock(step);

  // The batch order is a function of the step, as for classifiers: a resumed run sees the same rows.
  const batchIndices = seededBatches(train.n, config.batchSize, config.seed);

  async function trainStep(): Promise<TrainLog | null> {
    startClock(clock);
    const rows = gatherRows(train, batchIndices(step));
    const lr = learningRate(step, schedule);
    const batch = lmBatch(rows);
    let packed: Tensor | null = null;
    if (batch) {
      try {
        packed = tf.tidy(() => {
          let terms: Tensor | null = null;
          const { value, grads } = tf.variableGrads(() => {
            const parts = lmLoss(params, batch, weights);
            terms = tf.keep(tf.stack(parts.terms));
            return parts.total;
          }, variables);
          const norm = optimizer.apply(
            variables.map((v) => grads[v.name]),
            lr,
          );
          const out = tf.concat([tf.reshape(value as Scalar, [1]), terms!, tf.reshape(norm, [1])]);
          terms!.dispose();
          return out;
        });
      } finally {
        tf.dispose([batch.ids, batch.mask, batch.at, batch.next]);
      }
    }
    step += 1;
    if (!packed) return null; // no two consecutive real tokens in the batch: nothing to learn
    const isLog = step % config.logEvery === 0 || step === config.steps;
    let log: TrainLog | null = null;
    if (isLog) {
      log = await readStepLog(packed, step, lr, clock);
      callbacks.onLog?.(log);
    } else packed.dispose();
    return log;
  }

  return {
    get step() {
      return step;
    },
    trainStep,
    async run(onStep) {
      while (step < config.steps) {
        await trainStep();
        await onStep?.(step);
      }
    },
    captureOptimizer: () => optimizer.captureState(),
    dispose: () => optimizer.dispose(),
  };
}
