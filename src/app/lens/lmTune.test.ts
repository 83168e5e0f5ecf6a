import { beforeEach, describe, expect, it } from 'vitest';
import type { LensResult, LmEvalLog } from '../../engine/apiTypes';
import { memoryStore } from '../persist/keyValueStore';
import { useStrata } from '../store';
import { lmTuneAccuracyChart, lmTuneYDomain } from './lmTuneChart';
import { initialLmTuneState, lmTuneEta, useLmTune, type LmTuneRun } from './lmTuneState';
import { keepTunedLm, restoreTunedLms, setTunedLmStore } from './tunedLms';

const lens = (accuracy: number[]): LensResult => ({
  layers: accuracy.map((_, i) => i),
  accuracy,
  loss: accuracy.map(() => 4),
  tokens: 100,
  kl: accuracy.map(() => 0),
  rank: accuracy.map(() => 1),
});
const evalAt = (step: number, kind: LmEvalLog['kind'], accuracy: number[]): LmEvalLog => ({
  step,
  kind,
  rows: 32,
  lens: lens(accuracy),
});
const run = (p: Partial<LmTuneRun>): LmTuneRun => ({
  name: 'r',
  base: 'b',
  state: 'running',
  step: 10,
  steps: 40,
  stepsPerSecond: 2,
  evals: [],
  snapshot: null,
  ...p,
});

describe('LM fine-tune panel data', () => {
  it('gives an ETA from the running pace, none while paused, stopping or not yet paced', () => {
    expect(lmTuneEta(run({}))).toBe('15 s left');
    expect(lmTuneEta(run({ step: 0, steps: 200, stepsPerSecond: 1 }))).toBe('3 min 20 s left');
    expect(lmTuneEta(run({ state: 'paused' }))).toBeNull();
    expect(lmTuneEta(run({ state: 'stopping' }))).toBeNull();
    expect(lmTuneEta(run({ stepsPerSecond: null }))).toBeNull();
  });

  it('draws before and the latest evaluation on a y range fixed by the first', () => {
    const evals = [evalAt(0, 'before', [0.09, 0.16, 0.2]), evalAt(5, 'quick', [0.09, 0.19, 0.2])];
    expect(lmTuneAccuracyChart(evals)).toEqual({
      xLabels: ['layer_0', 'layer_1', 'layer_2'],
      series: [
        { name: 'before', values: [0.09, 0.16, 0.2] },
        { name: 'step 5', values: [0.09, 0.19, 0.2] },
      ],
    });
    expect(lmTuneAccuracyChart(evals.slice(0, 1))!.series.map((s) => s.name)).toEqual(['before']);
    expect(lmTuneAccuracyChart([])).toBeNull();
    expect(lmTuneYDomain(evals)).toEqual([0, 0.3]);
    expect(lmTuneYDomain([evalAt(0, 'before', [0.9])])).toEqual([0, 1]);
  });
});

describe('fine-tuned LMs kept', () => {
  beforeEach(() => {
    useLmTune.setState(initialLmTuneState());
  });

  it('are listed after a reload from the store they were written to', async () => {
    const store = memoryStore();
    setTunedLmStore(store);
    const files = { 'config.json': new Uint8Array([123, 125]) };
    await keepTunedLm({
      name: 'imdb-lm-standard → aligned, 40 steps, lr 1e-3',
      builtin: 'imdb-lm-standard',
      files,
    });
    useLmTune.setState(initialLmTuneState()); // a reload
    await restoreTunedLms();
    const tuned = useLmTune.getState().tuned;
    expect(tuned.map((t) => t.name)).toEqual(['imdb-lm-standard → aligned, 40 steps, lr 1e-3']);
    expect(tuned[0].record.builtin).toBe('imdb-lm-standard');
    expect(tuned[0].record.files['config.json']).toEqual(files['config.json']);
  });

  it('stay for the session with a notice when the browser cannot store them', async () => {
    setTunedLmStore(memoryStore({ failFromWrite: 1 }));
    await keepTunedLm({ name: 'tuned', files: {} });
    expect(useLmTune.getState().tuned.map((t) => t.name)).toEqual(['tuned']);
    expect(
      useStrata
        .getState()
        .ui.alerts.map((a) => a.text)
        .join(),
    ).toMatch(/tuned is kept for this session only: the browser did not store it/);
  });
});
