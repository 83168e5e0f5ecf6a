import { describe, expect, it } from 'vitest';
import { exitLayers, type ExitRule } from './rules';
import { exitScores } from './scores';
import { FIXTURE_CLASSES, fixtureLogits, randomLogits } from './testing';

const scores = () => exitScores(fixtureLogits(), FIXTURE_CLASSES);
const exits = (rule: ExitRule, threshold: number) =>
  Array.from(exitLayers(scores(), rule, threshold));

describe('exitLayers on the crafted fixture (see testing.ts for the table)', () => {
  // Confidence per layer: s0 C B A A · s1 U C B A · s2 B C B B · s3 A A B C · s4 T T C B · s5 U U U U
  it.each([
    // τ = 0.3 < 1/3: every row qualifies at layer 1.
    [0.3, [1, 1, 1, 1, 1, 1]],
    // τ = 0.5: T (0.5 − 7e−11) and U fail; s4 waits for C at layer 3, s5 never exits early.
    [0.5, [1, 2, 1, 1, 3, 4]],
    // τ = 0.55: C (0.576) qualifies, T does not.
    [0.55, [1, 2, 1, 1, 3, 4]],
    // τ = 0.9: B (0.909) and A qualify; s0 at B (2), s1 at B (3), s4 at B (4).
    [0.9, [2, 3, 1, 1, 4, 4]],
    // τ = 0.99: only A (0.995); s2 and s4 never reach A.
    [0.99, [3, 4, 4, 1, 4, 4]],
    // τ = 0.999: nothing qualifies, everyone at L.
    [0.999, [4, 4, 4, 4, 4, 4]],
  ])('confidence ≥ %s', (tau, expected) => {
    expect(exits('confidence', tau)).toEqual(expected);
  });

  // Entropy per layer: A 0.035 < B 0.367 < T 0.693 < C 0.975 < U 1.099 (= ln 3)
  it.each([
    [Math.log(3), [1, 1, 1, 1, 1, 1]],
    // τ = 0.8: T qualifies (unlike under confidence 0.55), C does not: s0 at B (2), s4 at T (1).
    [0.8, [2, 3, 1, 1, 1, 4]],
    [0.5, [2, 3, 1, 1, 4, 4]],
    [0.1, [3, 4, 4, 1, 4, 4]],
    [0, [4, 4, 4, 4, 4, 4]],
  ])('entropy ≤ %s', (tau, expected) => {
    expect(exits('entropy', tau)).toEqual(expected);
  });

  // Agree runs: s0 0123 · s1 0012 · s2 0001 · s3 0120 · s4 0101 · s5 0123
  it.each([
    [0, [1, 1, 1, 1, 1, 1]],
    [1, [2, 3, 4, 2, 2, 2]],
    [2, [3, 4, 4, 3, 4, 3]],
    [3, [4, 4, 4, 4, 4, 4]],
    [4, [4, 4, 4, 4, 4, 4]],
    [100, [4, 4, 4, 4, 4, 4]],
  ])('patience k = %s', (k, expected) => {
    expect(exits('patience', k)).toEqual(expected);
  });

  it('takes raw logits with C, the same as scores', () => {
    expect(Array.from(exitLayers(fixtureLogits(), 'entropy', 0.8, FIXTURE_CLASSES))).toEqual(
      exits('entropy', 0.8),
    );
    expect(() => exitLayers(fixtureLogits(), 'entropy', 0.8)).toThrow(/number of classes/);
  });

  it('rejects bad thresholds and rules, naming them', () => {
    expect(() => exitLayers(scores(), 'patience', 1.5)).toThrow(/patience 1\.5.*whole number/);
    expect(() => exitLayers(scores(), 'patience', -1)).toThrow(/k ≥ 0/);
    expect(() => exitLayers(scores(), 'confidence', NaN)).toThrow(/threshold NaN/);
    expect(() => exitLayers(scores(), 'margin' as ExitRule, 0.5)).toThrow(
      /rule 'margin', expected one of confidence, entropy, patience/,
    );
  });
});

describe('exitLayers on random logits', () => {
  const L = 6;
  const { logits } = randomLogits(L, 500, 5, 'rules');
  const s = exitScores(logits, 5);

  it('exits every sample at layer 1 when the rule always holds, at L when it never does', () => {
    const all = (rule: ExitRule, t: number, layer: number) =>
      expect(exitLayers(s, rule, t).every((e) => e === layer)).toBe(true);
    all('confidence', 1 / 5, 1); // max softmax ≥ 1/C always
    all('entropy', Math.log(5), 1); // entropy ≤ ln C always
    all('patience', 0, 1);
    all('confidence', 1.01, L);
    all('entropy', -0.01, L);
    for (let k = L - 1; k <= L + 2; k++) all('patience', k, L); // k ≥ L − 1 can only hold at L
  });

  it('never exits earlier as the rule gets stricter (per sample)', () => {
    const check = (rule: ExitRule, thresholds: number[]) => {
      let previous = exitLayers(s, rule, thresholds[0]);
      for (const t of thresholds.slice(1)) {
        const next = exitLayers(s, rule, t);
        expect(next.every((e, i) => e >= previous[i])).toBe(true);
        previous = next;
      }
    };
    check('confidence', [0, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 1]);
    check('entropy', [2, 1.5, 1, 0.5, 0.2, 0.05, 0]);
    check('patience', [0, 1, 2, 3, 4, 5, 6]);
  });

  it('patience k exits at the first layer whose top-1 matches the k layers before it', () => {
    const top1 = s.top1;
    for (const k of [1, 2, 3]) {
      const got = exitLayers(s, 'patience', k);
      for (let i = 0; i < 500; i++) {
        let want = L;
        for (let l = k + 1; l <= L; l++) {
          let same = true;
          for (let m = l - k; m < l; m++) same &&= top1[m - 1][i] === top1[l - 1][i];
          if (same) {
            want = l;
            break;
          }
        }
        expect(got[i]).toBe(want);
      }
    }
  });
});
