import { describe, expect, it } from 'vitest';
import { exitScores, scoresWithLabels } from './scores';
import { FIXTURE_CLASSES, FIXTURE_LABELS, fixtureLogits } from './testing';

describe('exitScores', () => {
  const s = exitScores(fixtureLogits(), FIXTURE_CLASSES);

  it('has the shape of the input', () => {
    expect([s.layers, s.samples, s.classes]).toEqual([4, 6, 3]);
  });

  it('matches the hand-computed softmax maximum and entropy of each pattern', () => {
    // Closed forms for [a, 0, 0]: p = eᵃ/(eᵃ + 2), H = ln(eᵃ + 2) − a·p.
    const p = (a: number) => Math.exp(a) / (Math.exp(a) + 2);
    const h = (a: number) => Math.log(Math.exp(a) + 2) - a * p(a);
    // Layer 1 rows: C[0], U, B[2], A[1], T, U.
    const conf = [p(1), 1 / 3, p(3), p(6), 0.5, 1 / 3];
    // T = [2, 2, −20] shifts to [0, 0, −22]: s = 2 + e^−22, H = ln s + 22 e^−22 / s (≈ ln 2).
    const sT = 2 + Math.exp(-22);
    const hT = Math.log(sT) + (22 * Math.exp(-22)) / sT;
    const ent = [h(1), Math.log(3), h(3), h(6), hT, Math.log(3)];
    conf.forEach((v, i) => expect(s.confidence[0][i]).toBeCloseTo(v, 9));
    ent.forEach((v, i) => expect(s.entropy[0][i]).toBeCloseTo(v, 9));
    expect(s.confidence[0][4]).toBeLessThan(0.5); // T: the e^−22 term keeps it under 1/2
  });

  it('gives top-1 (ties to the lowest class) and agreement runs as in the table', () => {
    const byLayer = (a: Int32Array[]) => a.map((x) => Array.from(x));
    expect(byLayer(s.top1)).toEqual([
      [0, 0, 2, 1, 0, 0],
      [0, 1, 0, 1, 0, 0],
      [0, 1, 2, 1, 1, 0],
      [0, 1, 2, 0, 1, 0],
    ]);
    expect(byLayer(s.agreeRun)).toEqual([
      [0, 0, 0, 0, 0, 0],
      [1, 0, 0, 1, 1, 1],
      [2, 1, 0, 2, 0, 2],
      [3, 2, 1, 0, 1, 3],
    ]);
  });

  it('is stable for huge logits and keeps entropy in [0, ln C]', () => {
    const big = exitScores([Float32Array.from([1e30, 0, -1e30, 5e4, 5e4, 5e4])], 3);
    expect(big.confidence[0][0]).toBe(1);
    expect(big.entropy[0][0]).toBe(0);
    expect(big.confidence[0][1]).toBeCloseTo(1 / 3, 12);
    expect(big.entropy[0][1]).toBeLessThanOrEqual(Math.log(3));
    expect(big.entropy[0][1]).toBeCloseTo(Math.log(3), 12);
  });
});

describe('exitScores input errors', () => {
  it('names the layer, row and class of a NaN or infinity', () => {
    const logits = fixtureLogits();
    logits[1][3 * 3 + 2] = NaN; // layer 2, row 3, class 2
    expect(() => exitScores(logits, 3)).toThrow(
      'early exit: layer 2 (logits[1]), row 3 holds NaN at class 2; expected finite logits',
    );
    logits[1][3 * 3 + 2] = 0;
    logits[3][0] = -Infinity;
    expect(() => exitScores(logits, 3)).toThrow(/layer 4 \(logits\[3\]\), row 0 holds -Infinity/);
  });

  it('names both sizes when layers disagree on N', () => {
    const logits = fixtureLogits();
    logits[2] = logits[2].subarray(0, 15);
    expect(() => exitScores(logits, 3)).toThrow(
      /layer 3 \(logits\[2\]\) has 15 values \(5 rows of 3\) but layer 1 \(logits\[0\]\) has 18 \(6 rows\)/,
    );
  });

  it('rejects empty input and bad class counts', () => {
    expect(() => exitScores([], 3)).toThrow(/no layers of logits given/);
    expect(() => exitScores([new Float32Array(0)], 3)).toThrow(/layer 1 \(logits\[0\]\) is empty/);
    expect(() => exitScores([new Float32Array(4)], 3)).toThrow(/4 values, not a multiple of 3/);
    expect(() => exitScores([new Float32Array(4)], 1)).toThrow(
      /1 classes, expected an integer ≥ 2/,
    );
  });

  it('names both sizes when labels and logits disagree on N', () => {
    const s = exitScores(fixtureLogits(), 3);
    expect(() => scoresWithLabels(s, FIXTURE_LABELS.subarray(0, 5), 'x')).toThrow(
      'x: 5 labels for 6 rows of logits, expected one label per sample',
    );
    expect(() => scoresWithLabels(fixtureLogits(), FIXTURE_LABELS.subarray(0, 5), 'x')).toThrow(
      /layer 1 \(logits\[0\]\) has 18 values, not a whole number of rows for 5 labels/,
    );
    expect(() => scoresWithLabels(fixtureLogits(), new Int32Array(0), 'x')).toThrow(/no labels/);
    expect(() => scoresWithLabels([], FIXTURE_LABELS, 'x')).toThrow(/no layers of logits/);
    expect(() => scoresWithLabels([new Float32Array(0)], FIXTURE_LABELS, 'x')).toThrow(
      /layer 1 \(logits\[0\]\) is empty/,
    );
    expect(() => scoresWithLabels(s, Int32Array.from([0, 1, 2, 3, 0, 0]), 'x')).toThrow(
      'x: label 3 of sample 3 is not a class of 0..2',
    );
  });

  it('infers C from the labels', () => {
    expect(scoresWithLabels(fixtureLogits(), FIXTURE_LABELS, 'x').classes).toBe(3);
  });
});
