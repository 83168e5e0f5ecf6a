// The log record of a training step, shared by the classifier and the LM trainers: the loss, its
// per-layer terms and the gradient norm read back in one tensor, and the speed since the last log.
import type { Tensor } from '../tf';
import type { TrainLog } from './trainConfig';

/** When a run's first step began, and the step and time of its last log. */
export interface StepClock {
  started: number;
  windowStart: number;
  windowStep: number;
}

/** A clock for a run that starts after `step` (0, or the step it resumes at). */
export const stepClock = (step: number): StepClock => ({
  started: 0,
  windowStart: 0,
  windowStep: step,
});

/** Marks the first step's start; later calls do nothing. */
export function startClock(clock: StepClock): void {
  if (clock.started === 0) clock.started = clock.windowStart = performance.now();
}

/**
 * Reads `packed` = [loss, ...terms, gradNorm] back (one readback: on WebGPU each is its own buffer
 * mapping), disposes it, and makes the step's log; the clock's window restarts here.
 */
export async function readStepLog(
  packed: Tensor,
  step: number,
  lr: number,
  clock: StepClock,
): Promise<TrainLog> {
  let values: Float32Array;
  try {
    values = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  const now = performance.now();
  const log: TrainLog = {
    step,
    loss: values[0],
    terms: Array.from(values.subarray(1, values.length - 1)),
    lr,
    gradNorm: values[values.length - 1],
    stepsPerSecond: ((step - clock.windowStep) * 1000) / Math.max(1, now - clock.windowStart),
    elapsedMs: now - clock.started,
  };
  clock.windowStart = now;
  clock.windowStep = step;
  return log;
}
