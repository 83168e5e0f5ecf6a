// When a fine-tune evaluates, and on which test rows. Early evaluations (steps 1, 5, 10) make the
// per-layer accuracy move within seconds of the start; they and the interval ones read a small
// fixed subset, so successive points differ by training alone; the last reads the whole set.

/** Steps evaluated before the first interval, whatever the interval. */
export const EARLY_EVAL_STEPS: readonly number[] = [1, 5, 10];

/** Test rows of every evaluation but the last: the first rows of the run's seeded sample. */
export const QUICK_EVAL_SAMPLES = 256;

/** Test rows of the last evaluation (a seeded sample) unless the request says otherwise. */
export const DEFAULT_EVAL_SAMPLES = 500;

/** `quick`: the fixed subset; `full`: the whole evaluation sample (the run's last step). */
export type EvalKind = 'quick' | 'full';

/**
 * Which evaluation follows step `step` (1-based, counted after the step) of a run of `steps`
 * steps evaluated every `evalEvery` steps: the last step's is `full`; steps 1, 5, 10 and the
 * multiples of `evalEvery` are `quick`; null otherwise. `evalEvery` 0 turns evaluation off.
 */
export function evaluationAt(step: number, evalEvery: number, steps: number): EvalKind | null {
  if (evalEvery <= 0 || step < 1 || step > steps) return null;
  if (step === steps) return 'full';
  if (EARLY_EVAL_STEPS.includes(step) || step % evalEvery === 0) return 'quick';
  return null;
}

/** Every step that evaluates, in order (for stating the schedule; pure, like evaluationAt). */
export function evaluationSteps(evalEvery: number, steps: number): number[] {
  if (evalEvery <= 0) return [];
  const out = new Set<number>(EARLY_EVAL_STEPS.filter((s) => s < steps));
  for (let s = evalEvery; s < steps; s += evalEvery) out.add(s);
  if (steps >= 1) out.add(steps);
  return [...out].sort((a, b) => a - b);
}

/** Rows of a quick evaluation out of a full one of `fullRows`. */
export const quickEvalRows = (fullRows: number, quickSamples = QUICK_EVAL_SAMPLES): number =>
  Math.min(quickSamples, fullRows);

/**
 * The schedule in words, e.g. "steps 1, 5, 10, then every 20, on 256 fixed test samples (seed 0);
 * step 200 on all 500".
 */
export function describeEvaluations(
  evalEvery: number,
  steps: number,
  fullRows: number,
  seed: number,
): string {
  if (evalEvery <= 0) return 'no evaluation during the run';
  const early = EARLY_EVAL_STEPS.filter((s) => s < steps && s < evalEvery);
  const interval = evalEvery < steps ? `every ${evalEvery}` : '';
  const quick = [early.join(', '), interval].filter(Boolean).join(', then ');
  const rows = quickEvalRows(fullRows);
  const last = `step ${steps} on all ${fullRows}`;
  if (!quick) return `${last} (seed ${seed})`;
  return `steps ${quick}, on ${rows} fixed test samples (seed ${seed}); ${last}`;
}
