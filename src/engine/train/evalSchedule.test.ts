import { describe, expect, it } from 'vitest';
import {
  describeEvaluations,
  EARLY_EVAL_STEPS,
  evaluationAt,
  evaluationSteps,
  QUICK_EVAL_SAMPLES,
  quickEvalRows,
} from './evalSchedule';

describe('evaluation schedule', () => {
  it('the defaults (200 steps, every 20): steps 1, 5, 10, every 20, the last one full', () => {
    const steps = evaluationSteps(20, 200);
    expect(steps).toEqual([1, 5, 10, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(steps.map((s) => evaluationAt(s, 20, 200))).toEqual([
      ...Array(12).fill('quick'),
      'full',
    ]);
    // Every other step has no evaluation.
    const off = Array.from({ length: 200 }, (_, i) => i + 1).filter((s) => !steps.includes(s));
    expect(off.every((s) => evaluationAt(s, 20, 200) === null)).toBe(true);
  });

  it('evaluationAt and evaluationSteps agree for every interval and length', () => {
    for (const steps of [1, 2, 4, 7, 10, 30]) {
      for (const every of [1, 3, 5, 10, 50]) {
        const at = Array.from({ length: steps + 2 }, (_, s) => s).filter(
          (s) => evaluationAt(s, every, steps) !== null,
        );
        expect(at, `steps ${steps}, every ${every}`).toEqual(evaluationSteps(every, steps));
      }
    }
  });

  it('early steps beyond a short run are left out; the last step is always evaluated in full', () => {
    expect(evaluationSteps(2, 4)).toEqual([1, 2, 4]);
    expect(evaluationAt(4, 2, 4)).toBe('full');
    expect(evaluationSteps(100, 8)).toEqual([1, 5, 8]);
    expect(evaluationAt(1, 1, 1)).toBe('full');
  });

  it('an interval of 0 evaluates nothing; step 0 and steps past the end never evaluate', () => {
    expect(evaluationSteps(0, 200)).toEqual([]);
    expect(EARLY_EVAL_STEPS.map((s) => evaluationAt(s, 0, 200))).toEqual([null, null, null]);
    expect(evaluationAt(0, 20, 200)).toBeNull();
    expect(evaluationAt(220, 20, 200)).toBeNull();
  });

  it('the quick subset is 256 rows, or the whole sample when that is smaller', () => {
    expect(QUICK_EVAL_SAMPLES).toBe(256);
    expect(quickEvalRows(500)).toBe(256);
    expect(quickEvalRows(100)).toBe(100);
    expect(quickEvalRows(500, 64)).toBe(64);
  });

  it('states the schedule in words', () => {
    expect(describeEvaluations(20, 200, 500, 0)).toBe(
      'steps 1, 5, 10, then every 20, on 256 fixed test samples (seed 0); step 200 on all 500',
    );
    expect(describeEvaluations(5, 30, 100, 3)).toBe(
      'steps 1, then every 5, on 100 fixed test samples (seed 3); step 30 on all 100',
    );
    expect(describeEvaluations(50, 30, 500, 0)).toBe(
      'steps 1, 5, 10, on 256 fixed test samples (seed 0); step 30 on all 500',
    );
    expect(describeEvaluations(1, 1, 500, 0)).toBe('step 1 on all 500 (seed 0)');
    expect(describeEvaluations(0, 200, 500, 0)).toBe('no evaluation during the run');
  });
});
