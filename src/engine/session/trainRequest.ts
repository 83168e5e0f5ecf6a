// A fine-tune request as the trainer reads it, and the fields a resumed run must share with it.
import type { TrainRequest } from '../apiTypes';
import { DEFAULT_EVAL_SAMPLES } from '../train/evalSchedule';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../train/trainConfig';

/** The trainer settings a request stands for (a resumed run must rebuild exactly these). */
export function trainConfigOf(request: TrainRequest): TrainConfig {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    loss: request.loss,
    weighting: request.weighting,
    lr: request.lr,
    batchSize: request.batchSize,
    steps: request.steps,
    seed: request.seed,
    warmupSteps:
      request.warmupSteps ??
      Math.min(DEFAULT_TRAIN_CONFIG.warmupSteps, Math.floor(request.steps / 10)),
    weightDecay: request.weightDecay ?? DEFAULT_TRAIN_CONFIG.weightDecay,
    logEvery: request.logEvery ?? 1,
    evalEvery: request.evalEvery,
    evalSamples: request.evalSamples ?? DEFAULT_EVAL_SAMPLES,
  };
}

/** The fields that decide a run; a snapshot resumes only under the request it was taken with. */
export const RUN_FIELDS = [
  'baseModelId',
  'dataset',
  'loss',
  'weighting',
  'lr',
  'batchSize',
  'steps',
  'seed',
  'evalEvery',
  'warmupSteps',
  'weightDecay',
  'logEvery',
  'evalSamples',
] as const satisfies readonly (keyof TrainRequest)[];
