import { describe, expect, it } from 'vitest';
import { IDLE_TRAINING, type TrainingRun } from './run';
import { formatDuration, trainingStatusText } from './trainingStatus';

const run = (patch: Partial<TrainingRun>): TrainingRun => ({ ...IDLE_TRAINING, ...patch });

describe('trainingStatusText', () => {
  it('says "Preparing…" and what, until the first step is done', () => {
    expect(trainingStatusText(run({ state: 'starting', steps: 200 }))).toBe(
      'Preparing… starting the run',
    );
    expect(trainingStatusText(run({ state: 'starting', preparing: 'dataset' }))).toBe(
      'Preparing… loading the dataset',
    );
    expect(trainingStatusText(run({ state: 'starting', preparing: 'model' }))).toBe(
      'Preparing… copying the model and building the optimizer',
    );
    expect(trainingStatusText(run({ state: 'starting', preparing: 'first-step' }))).toBe(
      'Preparing… compiling kernels and taking the first step',
    );
    expect(
      trainingStatusText(run({ state: 'starting', preparing: 'model', step: 25, steps: 80 })),
    ).toBe('Preparing… copying the model and building the optimizer · step 25 / 80');
  });

  it('running: step, speed and ETA; paused: the step alone', () => {
    const at = { step: 20, steps: 200, stepsPerSecond: 2 };
    expect(trainingStatusText(run({ state: 'running', ...at }))).toBe(
      'running · step 20 / 200 · 2.00 steps/s · ETA 1 min 30 s',
    );
    expect(trainingStatusText(run({ state: 'paused', ...at }))).toBe('paused · step 20 / 200');
    expect(trainingStatusText(run({ state: 'stopped', ...at }))).toBe('stopped · step 20 / 200');
  });

  it('formats durations in seconds, minutes and hours', () => {
    expect([12.4, 185, 7260, Number.NaN].map(formatDuration)).toEqual([
      '12 s',
      '3 min 5 s',
      '2 h 1 min',
      '—',
    ]);
  });
});
