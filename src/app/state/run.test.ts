import { describe, expect, it } from 'vitest';
import { etaSeconds, IDLE_TRAINING, type TrainingRun } from './run';

const run = (patch: Partial<TrainingRun>): TrainingRun => ({ ...IDLE_TRAINING, ...patch });

describe('etaSeconds', () => {
  it('is the steps left over the current speed while a run is running', () => {
    expect(etaSeconds(run({ state: 'running', step: 6, steps: 30, stepsPerSecond: 4 }))).toBe(6);
  });

  it('is null while paused or stopping: nothing is being done, so there is no arrival time', () => {
    expect(etaSeconds(run({ state: 'paused', step: 20, steps: 30, stepsPerSecond: 2 }))).toBeNull();
    expect(
      etaSeconds(run({ state: 'stopping', step: 20, steps: 30, stepsPerSecond: 2 })),
    ).toBeNull();
  });

  it('is null before the first log and once the run is over', () => {
    expect(etaSeconds(run({ state: 'starting', steps: 30 }))).toBeNull();
    for (const state of ['done', 'stopped', 'failed', 'idle'] as const)
      expect(etaSeconds(run({ state, step: 30, steps: 30, stepsPerSecond: 4 })), state).toBeNull();
  });

  it('never counts past the last step', () => {
    expect(etaSeconds(run({ state: 'running', step: 31, steps: 30, stepsPerSecond: 4 }))).toBe(0);
  });
});
