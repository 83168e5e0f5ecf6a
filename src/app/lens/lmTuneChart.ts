// Chart data of the LM fine-tune panel: the held-out next-token accuracy per layer before the
// first step and at the latest evaluation, on a y range fixed at the start so points compare.
import type { LineChartData } from '../../charts/lineData';
import type { LmEvalLog } from '../../engine/apiTypes';

/** Before (step 0) and now (the latest evaluation); null until the first evaluation. */
export function lmTuneAccuracyChart(evals: readonly LmEvalLog[]): LineChartData | null {
  const before = evals.find((e) => e.kind === 'before');
  const now = evals.length > 0 ? evals[evals.length - 1] : undefined;
  if (!now) return null;
  const xLabels = now.lens.layers.map((l) => `layer_${l}`);
  const series = [];
  if (before) series.push({ name: 'before', values: [...before.lens.accuracy] });
  if (now !== before)
    series.push({
      name: `step ${now.step}`,
      values: [...now.lens.accuracy],
    });
  return { xLabels, series };
}

/**
 * [0, top]: 1.5 × the best layer's accuracy before the run, rounded up to 5 points, so a lift of a
 * few points shows and the axis never moves during the run.
 */
export function lmTuneYDomain(evals: readonly LmEvalLog[]): [number, number] {
  const first = evals[0];
  if (!first) return [0, 1];
  const best = Math.max(...first.lens.accuracy);
  // Whole steps of 5 points: 0.2 × 1.5 is 0.30000000000000004 in floats, and must give 0.3.
  const steps = Math.ceil(Math.round(best * 1.5 * 20 * 1e6) / 1e6);
  return [0, Math.min(1, Math.max(1, steps) / 20)];
}

/** "LM fine-tune: next-token accuracy · <run> · step 20 · 32 held-out rows, 3,812 tokens". */
export function lmTuneCaption(name: string, evals: readonly LmEvalLog[]): string {
  const now = evals[evals.length - 1];
  if (!now) return `LM fine-tune: next-token accuracy per layer (no evaluation yet)`;
  const tokens = now.lens.tokens.toLocaleString('en-US');
  return `LM fine-tune: next-token accuracy per layer · ${name} · step ${now.step} · ${now.rows} held-out rows, ${tokens} tokens`;
}
