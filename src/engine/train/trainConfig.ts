// What decides a training run, and the records it reports: plain data, shared by the trainer,
// the session and the command line.
import { QUICK_EVAL_SAMPLES } from './evalSchedule';
import type { LossKind } from './losses';
import type { LayerWeighting } from './schedule';

/** Everything that decides a training run; the same values and seed repeat it on one backend. */
export interface TrainConfig {
  loss: LossKind;
  weighting: LayerWeighting;
  steps: number;
  batchSize: number;
  /** Peak learning rate. */
  lr: number;
  warmupSteps: number;
  weightDecay: number;
  clipNorm: number;
  seed: number;
  /** Read the loss back every `logEvery` steps (and on the last). */
  logEvery: number;
  /**
   * Evaluate per-layer test accuracy at steps 1, 5, 10, every `evalEvery` steps and the last
   * (evalSchedule.ts; 0: only when asked).
   */
  evalEvery: number;
  /** Test rows of the last evaluation (a fixed seeded sample). */
  evalSamples: number;
  /** Test rows of the others: the first of the same sample (QUICK_EVAL_SAMPLES). */
  quickEvalSamples: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  loss: 'aligned',
  weighting: 'linear',
  steps: 300,
  batchSize: 64,
  lr: 1e-3,
  warmupSteps: 20,
  weightDecay: 0.01,
  clipNorm: 1,
  seed: 0,
  logEvery: 10,
  evalEvery: 100,
  evalSamples: 1000,
  quickEvalSamples: QUICK_EVAL_SAMPLES,
};

export interface TrainLog {
  step: number;
  /** The weighted loss of the step. */
  loss: number;
  /** Cross-entropy per layer 1..L (one entry for `standard`). */
  terms: number[];
  lr: number;
  gradNorm: number;
  stepsPerSecond: number;
  elapsedMs: number;
}

export interface EvalLog {
  step: number;
  n: number;
  /** Test accuracy (fraction) and loss of the exit classifiers at layers 1..L. */
  accuracy: number[];
  loss: number[];
}
