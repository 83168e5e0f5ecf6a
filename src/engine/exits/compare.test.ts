import { describe, expect, it } from 'vitest';
import { accuracyAtEqualExit, saturationHistogram, saturationLayers } from './compare';
import { exitLayers } from './rules';
import { exitScores } from './scores';
import { exitTradeoff, type ExitTradeoff } from './tradeoff';
import { FIXTURE_CLASSES, FIXTURE_LABELS, fixtureLogits, randomLogits } from './testing';

/** A curve from (meanExitLayer, accuracy) pairs, in the given order. */
function curve(pairs: [number, number][]): ExitTradeoff {
  return {
    rule: 'confidence',
    layers: 4,
    samples: 6,
    perLayerAccuracy: [],
    points: pairs.map(([m, a], k) => ({
      threshold: k,
      accuracy: a,
      meanExitLayer: m,
      speedup: 4 / m,
      flops: null,
    })),
  };
}

describe('accuracyAtEqualExit', () => {
  it('interpolates two swept curves of the fixture at the same mean exit layers', () => {
    // Curves from tradeoff.test.ts: confidence (1, 2/6) (2, 4/6) (2.5, 4/6) (10/3, 4/6) (4, 5/6);
    // patience (1, 2/6) (2.5, 3/6) (3.5, 4/6) (4, 5/6).
    const a = exitTradeoff(fixtureLogits(), FIXTURE_LABELS, 'confidence', {
      thresholds: [0.3, 0.55, 0.9, 0.99, 0.999],
    });
    const b = exitTradeoff(fixtureLogits(), FIXTURE_LABELS, 'patience', {
      thresholds: [0, 1, 2, 3],
    });
    const r = accuracyAtEqualExit(a, b, [0.5, 1, 1.5, 3, 3.75, 4, 4.5]);
    const want: [number | null, number | null][] = [
      [null, null], // below both curves
      [2 / 6, 2 / 6],
      // a: halfway from (1, 2/6) to (2, 4/6) → 3/6;
      // b: a third of the way from (1, 2/6) to (2.5, 3/6) → 2/6 + 1/18 = 7/18.
      [3 / 6, 7 / 18],
      // a: flat 4/6 between 2.5 and 10/3; b: halfway from (2.5, 3/6) to (3.5, 4/6) → 3.5/6.
      [4 / 6, 3.5 / 6],
      // a: w = (3.75 − 10/3)/(4 − 10/3) = 0.625 → 4/6 + 0.625/6 = 4.625/6;
      // b: halfway from (3.5, 4/6) to (4, 5/6) → 4.5/6.
      [4.625 / 6, 4.5 / 6],
      [5 / 6, 5 / 6],
      [null, null], // above both
    ];
    r.forEach((got, k) => {
      const [wa, wb] = want[k];
      expect(got.meanExitLayer).toBe([0.5, 1, 1.5, 3, 3.75, 4, 4.5][k]);
      for (const [g, w] of [
        [got.a, wa],
        [got.b, wb],
      ]) {
        if (w === null) expect(g).toBeNull();
        else expect(g).toBeCloseTo(w, 12);
      }
      if (wa === null || wb === null) expect(got.difference).toBeNull();
      else expect(got.difference).toBeCloseTo(wa - wb, 12);
    });
  });

  it('sorts by mean exit layer, keeps the best accuracy of tied points, null outside', () => {
    const a = curve([
      [3, 0.9],
      [1, 0.5],
      [2, 0.6],
      [2, 0.8],
    ]);
    const b = curve([[2, 0.7]]);
    const r = accuracyAtEqualExit(a, b, [1.5, 2, 2.5]);
    // (0.5 + 0.8)/2, 0.8, (0.8 + 0.9)/2
    [0.65, 0.8, 0.85].forEach((v, k) => expect(r[k].a).toBeCloseTo(v, 12));
    expect(r.map((x) => x.b)).toEqual([null, 0.7, null]);
    expect(r[1].difference).toBeCloseTo(0.1, 12);
    expect(() => accuracyAtEqualExit(a, b, [2, NaN])).toThrow(/meanExitLayers\[1\] is NaN/);
  });

  it('a curve compared with itself differs by 0 wherever it is defined', () => {
    const { logits, labels } = randomLogits(6, 1000, 4, 'compare');
    const t = exitTradeoff(logits, labels, 'entropy');
    const at = Array.from({ length: 21 }, (_, k) => 1 + (5 * k) / 20);
    for (const r of accuracyAtEqualExit(t, t, at))
      if (r.difference !== null) expect(r.difference).toBe(0);
  });
});

describe('saturationLayers', () => {
  it('matches the fixture table (1-based) and its histogram', () => {
    // top-1 per layer: s0 0000 → 1; s1 0111 → 2; s2 2022 → 3; s3 1110 → 4; s4 0011 → 3; s5 → 1.
    const s = exitScores(fixtureLogits(), FIXTURE_CLASSES);
    expect(Array.from(saturationLayers(s))).toEqual([1, 2, 3, 4, 3, 1]);
    expect(saturationHistogram(s)).toEqual([2, 1, 2, 1]);
    expect(Array.from(saturationLayers(fixtureLogits(), FIXTURE_CLASSES))).toEqual([
      1, 2, 3, 4, 3, 1,
    ]);
  });

  it('is the layer from which top-1 never changes, and bounds patience exits', () => {
    const { logits } = randomLogits(6, 800, 3, 'saturation');
    const s = exitScores(logits, 3);
    const sat = saturationLayers(s);
    for (let i = 0; i < 800; i++) {
      for (let l = sat[i]; l <= 6; l++) expect(s.top1[l - 1][i]).toBe(s.top1[5][i]);
      if (sat[i] > 1) expect(s.top1[sat[i] - 2][i]).not.toBe(s.top1[5][i]);
    }
    // Saturated at s, a sample has agreed k times by layer s + k: patience exits it by then.
    for (const k of [1, 2, 3]) {
      const exits = exitLayers(s, 'patience', k);
      exits.forEach((e, i) => expect(e).toBeLessThanOrEqual(Math.min(sat[i] + k, 6)));
    }
  });
});
