import { describe, expect, it } from 'vitest';
import { exitScores } from './scores';
import {
  defaultThresholds,
  evaluateExit,
  exitHistogram,
  exitTradeoff,
  pointAt,
  type ExitPoint,
} from './tradeoff';
import { FIXTURE_LABELS, fixtureLogits, randomLogits } from './testing';

// Cost model for the flops column: blocks cost 10, 20, 30, 40 and one head evaluation costs 1,
// so a sample exiting at layer e costs Σ_{l ≤ e} f_l + e: e = 1 → 11, 2 → 32, 3 → 63, 4 → 104.
const COST = { flopsPerLayer: [10, 20, 30, 40], headFlops: 1 };
const PER_LAYER = [2 / 6, 2 / 6, 4 / 6, 5 / 6];

function expectPoint(got: ExitPoint, want: ExitPoint) {
  expect(got.threshold).toBe(want.threshold);
  expect(got.accuracy).toBeCloseTo(want.accuracy, 12);
  expect(got.meanExitLayer).toBeCloseTo(want.meanExitLayer, 12);
  expect(got.speedup).toBeCloseTo(want.speedup, 12);
  if (want.flops === null) expect(got.flops).toBeNull();
  else expect(got.flops).toBeCloseTo(want.flops, 9);
}

describe('exitTradeoff on the crafted fixture (exit layers from rules.test.ts)', () => {
  it('confidence: hand-computed table', () => {
    const t = exitTradeoff(fixtureLogits(), FIXTURE_LABELS, 'confidence', {
      // Given out of order and with a repeat: the sweep sorts and deduplicates.
      thresholds: [0.9, 0.3, 0.999, 0.55, 0.99, 0.9],
      ...COST,
    });
    expect([t.rule, t.layers, t.samples]).toEqual(['confidence', 4, 6]);
    PER_LAYER.forEach((a, l) => expect(t.perLayerAccuracy[l]).toBeCloseTo(a, 12));
    const want: ExitPoint[] = [
      // τ 0.3: all exit at 1; right at layer 1: s0, s2 → 2/6; cost 11.
      { threshold: 0.3, accuracy: 2 / 6, meanExitLayer: 1, speedup: 4, flops: 11 },
      // τ 0.55: exits 1 2 1 1 3 4 (sum 12); right: s0 (0 at 1), s1 (1 at 2), s2 (2 at 1), s4 (1 at
      // 3); wrong: s3 (1 at 1), s5 → 4/6; cost 11+32+11+11+63+104 = 232.
      { threshold: 0.55, accuracy: 4 / 6, meanExitLayer: 2, speedup: 2, flops: 232 / 6 },
      // τ 0.9: exits 2 3 1 1 4 4 (sum 15); right: s0, s1, s2, s4 → 4/6;
      // cost 32+63+11+11+104+104 = 325.
      { threshold: 0.9, accuracy: 4 / 6, meanExitLayer: 2.5, speedup: 1.6, flops: 325 / 6 },
      // τ 0.99: exits 3 4 4 1 4 4 (sum 20); right: s0, s1, s2, s4 → 4/6;
      // cost 63+104+104+11+104+104 = 490.
      { threshold: 0.99, accuracy: 4 / 6, meanExitLayer: 20 / 6, speedup: 1.2, flops: 490 / 6 },
      // τ 0.999: all at 4; layer-4 accuracy 5/6; cost 104.
      { threshold: 0.999, accuracy: 5 / 6, meanExitLayer: 4, speedup: 1, flops: 104 },
    ];
    expect(t.points.length).toBe(want.length);
    t.points.forEach((p, k) => expectPoint(p, want[k]));
  });

  it('entropy: hand-computed table, strictest last', () => {
    const t = exitTradeoff(fixtureLogits(), FIXTURE_LABELS, 'entropy', {
      thresholds: [0, 0.5, Math.log(3), 0.8],
    });
    const want: ExitPoint[] = [
      { threshold: Math.log(3), accuracy: 2 / 6, meanExitLayer: 1, speedup: 4, flops: null },
      // τ 0.8: exits 2 3 1 1 1 4 (sum 12); right: s0, s1, s2; wrong: s3, s4 (0 at 1), s5 → 3/6.
      { threshold: 0.8, accuracy: 3 / 6, meanExitLayer: 2, speedup: 2, flops: null },
      // τ 0.5: exits 2 3 1 1 4 4 (sum 15); right: s0, s1, s2, s4 → 4/6.
      { threshold: 0.5, accuracy: 4 / 6, meanExitLayer: 2.5, speedup: 1.6, flops: null },
      { threshold: 0, accuracy: 5 / 6, meanExitLayer: 4, speedup: 1, flops: null },
    ];
    t.points.forEach((p, k) => expectPoint(p, want[k]));
  });

  it('patience: hand-computed table', () => {
    const t = exitTradeoff(fixtureLogits(), FIXTURE_LABELS, 'patience', {
      thresholds: [0, 1, 2, 3],
      ...COST,
    });
    const want: ExitPoint[] = [
      { threshold: 0, accuracy: 2 / 6, meanExitLayer: 1, speedup: 4, flops: 11 },
      // k 1: exits 2 3 4 2 2 2 (sum 15); top-1 there 0 1 2 1 0 0 → right s0, s1, s2 → 3/6;
      // cost 32+63+104+32+32+32 = 295.
      { threshold: 1, accuracy: 3 / 6, meanExitLayer: 2.5, speedup: 1.6, flops: 295 / 6 },
      // k 2: exits 3 4 4 3 4 3 (sum 21); top-1 there 0 1 2 1 1 0 → right s0, s1, s2, s4 → 4/6;
      // cost 63+104+104+63+104+63 = 501.
      { threshold: 2, accuracy: 4 / 6, meanExitLayer: 3.5, speedup: 8 / 7, flops: 501 / 6 },
      { threshold: 3, accuracy: 5 / 6, meanExitLayer: 4, speedup: 1, flops: 104 },
    ];
    t.points.forEach((p, k) => expectPoint(p, want[k]));
  });

  it('checks the cost model', () => {
    const run = (o: object) => () => exitTradeoff(fixtureLogits(), FIXTURE_LABELS, 'patience', o);
    expect(run({ flopsPerLayer: [1, 2, 3] })).toThrow(/flopsPerLayer has 3 entries.*\(4\)/);
    expect(run({ flopsPerLayer: [1, 2, NaN, 4] })).toThrow(/flopsPerLayer\[2\] is NaN/);
    expect(run({ headFlops: -1 })).toThrow(/headFlops -1/);
    expect(run({ thresholds: [] })).toThrow(/no thresholds/);
    expect(run({ thresholds: [1, 0.5] })).toThrow(/patience 0\.5/);
  });
});

describe('default sweeps', () => {
  const { logits, labels } = randomLogits(8, 2000, 10, 'tradeoff');
  const scores = exitScores(logits, 10);

  it('confidence grid: ~25 points from 0.5 with 0.9, 0.95, 0.99 and 1', () => {
    const g = defaultThresholds('confidence', 8, 10);
    expect(g.length).toBe(25);
    expect(g[0]).toBe(0.5);
    for (const t of [0.9, 0.95, 0.99, 0.999, 1]) expect(g).toContain(t);
    const e = defaultThresholds('entropy', 8, 10);
    expect(e[0]).toBeCloseTo(Math.log(10), 14);
    expect(e[e.length - 1]).toBe(0);
    expect(defaultThresholds('patience', 8, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it.each(['confidence', 'entropy', 'patience'] as const)(
    '%s: mean exit layer never falls along the curve; ends are layer 1 / layer L',
    (rule) => {
      const t = exitTradeoff(scores, labels, rule);
      const means = t.points.map((p) => p.meanExitLayer);
      for (let k = 1; k < means.length; k++) expect(means[k]).toBeGreaterThanOrEqual(means[k - 1]);
      t.points.forEach((p) => expect(p.speedup).toBeCloseTo(8 / p.meanExitLayer, 12));
      const last = t.points[t.points.length - 1];
      if (rule !== 'confidence') {
        // τ = 0 entropy and k = L patience never exit early: the layer-L accuracy.
        expect(last.meanExitLayer).toBe(8);
        expect(last.accuracy).toBe(t.perLayerAccuracy[7]);
      }
      if (rule === 'entropy') {
        expect(t.points[0].meanExitLayer).toBe(1);
        expect(t.points[0].accuracy).toBe(t.perLayerAccuracy[0]);
      }
    },
  );

  it('thresholds that exit everyone at layer 1 / L give layer 1 / layer L accuracy', () => {
    const first = evaluateExit(scores, labels, 'confidence', 0.1).point;
    const never = evaluateExit(scores, labels, 'confidence', 1.5).point;
    const t = exitTradeoff(scores, labels, 'confidence');
    expect([first.accuracy, first.meanExitLayer, first.speedup]).toEqual([
      t.perLayerAccuracy[0],
      1,
      8,
    ]);
    expect([never.accuracy, never.meanExitLayer, never.speedup]).toEqual([
      t.perLayerAccuracy[7],
      8,
      1,
    ]);
  });

  it('a higher confidence τ never lowers the mean exit layer (fine sweep)', () => {
    const grid = Array.from({ length: 201 }, (_, k) => k / 200);
    const t = exitTradeoff(scores, labels, 'confidence', { thresholds: [...grid].reverse() });
    expect(t.points.map((p) => p.threshold)).toEqual(grid);
    for (let k = 1; k < t.points.length; k++) {
      expect(t.points[k].meanExitLayer).toBeGreaterThanOrEqual(t.points[k - 1].meanExitLayer);
    }
  });
});

describe('evaluateExit, pointAt, exitHistogram', () => {
  it('evaluates any threshold exactly, with the histogram of exits', () => {
    // τ 0.55 exits 1 2 1 1 3 4 → three at layer 1, one each at 2, 3 and 4.
    const r = evaluateExit(fixtureLogits(), FIXTURE_LABELS, 'confidence', 0.55, COST);
    expect(Array.from(r.exits)).toEqual([1, 2, 1, 1, 3, 4]);
    expect(r.histogram).toEqual([3, 1, 1, 1]);
    expectPoint(r.point, {
      threshold: 0.55,
      accuracy: 4 / 6,
      meanExitLayer: 2,
      speedup: 2,
      flops: 232 / 6,
    });
    // 0.6 is not on any grid: C (0.576) no longer qualifies, so s0 waits for B at layer 2 and s1
    // for B at layer 3, s4 for B at layer 4: exits 2 3 1 1 4 4, like τ = 0.9.
    expect(
      Array.from(evaluateExit(fixtureLogits(), FIXTURE_LABELS, 'confidence', 0.6).exits),
    ).toEqual([2, 3, 1, 1, 4, 4]);
  });

  it('pointAt returns the swept point with the nearest threshold', () => {
    const t = exitTradeoff(fixtureLogits(), FIXTURE_LABELS, 'confidence', {
      thresholds: [0.3, 0.55, 0.9, 0.99],
    });
    expect(pointAt(t, 0.9).threshold).toBe(0.9);
    expect(pointAt(t, 0.6).threshold).toBe(0.55);
    expect(pointAt(t, 0.96).threshold).toBe(0.99);
    expect(pointAt(t, 0).threshold).toBe(0.3);
    const coarse = exitTradeoff(fixtureLogits(), FIXTURE_LABELS, 'confidence', {
      thresholds: [0.75, 0.25],
    });
    expect(pointAt(coarse, 0.5).threshold).toBe(0.25); // a tie goes to the more permissive
    expect(() => pointAt(t, NaN)).toThrow(/threshold NaN/);
  });

  it('exitHistogram counts per layer and rejects layers out of range', () => {
    expect(exitHistogram(Int32Array.from([1, 4, 4, 2]), 4)).toEqual([1, 1, 0, 2]);
    expect(exitHistogram(new Int32Array(0), 3)).toEqual([0, 0, 0]);
    expect(() => exitHistogram(Int32Array.from([1, 5]), 4)).toThrow(
      'exit layer histogram: sample 1 has exit layer 5, expected 1..4',
    );
    expect(() => exitHistogram(Int32Array.from([0]), 4)).toThrow(/sample 0 has exit layer 0/);
  });
});
