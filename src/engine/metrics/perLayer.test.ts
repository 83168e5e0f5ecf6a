import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import {
  minimalDepth,
  perLayerAccuracy,
  perLayerLoss,
  perLayerReadout,
  saturationFromPredictions,
  saturationLayers,
} from './perLayer';
import { TEST_BACKENDS } from './testing';

const { log } = Math;
// 3 layers × 4 samples × 3 classes, built so that softmax probabilities are simple fractions:
// logits [ln a, ln b, ln c] give p = [a, b, c] / (a + b + c).
const LOGITS = [
  [
    [0, 0, 0],
    [log(2), 0, 0],
    [0, 0, log(3)],
    [0, log(4), 0],
  ],
  [
    [0, log(2), 0],
    [0, log(3), 0],
    [log(2), 0, 0],
    [0, log(2), 0],
  ],
  [
    [log(3), 0, 0],
    [0, log(3), 0],
    [log(2), 0, 0],
    [0, log(2), 0],
  ],
];
const LABELS = Int32Array.from([0, 1, 2, 1]);
// Predictions (sample 0 of layer 0 is a three-way tie: the lowest class, 0, wins):
// layer 0: 0 0 2 1, layer 1: 1 1 0 1, layer 2: 0 1 0 1.
const ACCURACY = [3 / 4, 2 / 4, 3 / 4];
// Per-sample CE = −ln p(label): layer 0: ln 3, ln 4, ln 5/3, ln 3/2 → ln 30 / 4;
// layer 1: ln 4, ln 5/3, ln 4, ln 2 → ln(160/3) / 4; layer 2: ln 5/3, ln 5/3, ln 4, ln 2 → ln(200/9) / 4.
const LOSS = [log(30) / 4, log(160 / 3) / 4, log(200 / 9) / 4];
// Sample 0: 0 1 0 → settles at layer 2; sample 1: 0 1 1 → 1; sample 2: 2 0 0 → 1; sample 3: 1 1 1 → 0.
const SATURATION = [2, 1, 1, 0];

describe.each(TEST_BACKENDS)('shared-classifier read-outs on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('accuracy, loss and saturation match the hand computation', async () => {
    const logits = LOGITS.map((z) => tf.tensor2d(z));
    const acc = await perLayerAccuracy(logits, LABELS);
    const loss = await perLayerLoss(logits, LABELS);
    expect(acc).toEqual(ACCURACY);
    loss.forEach((v, l) => expect(v).toBeCloseTo(LOSS[l], 6));
    expect(Array.from(await saturationLayers(logits))).toEqual(SATURATION);
    const all = await perLayerReadout(logits, LABELS);
    expect(all.accuracy).toEqual(ACCURACY);
    expect(all.predictions.map((p) => Array.from(p))).toEqual([
      [0, 0, 2, 1],
      [1, 1, 0, 1],
      [0, 1, 0, 1],
    ]);
    expect(Array.from(all.saturation)).toEqual(SATURATION);
    logits.forEach((t) => t.dispose());
  });

  it('accepts plain arrays as well as tensors', async () => {
    expect(await perLayerAccuracy(LOGITS, LABELS)).toEqual(ACCURACY);
  });

  it('checks labels, shapes and finite values', async () => {
    await expect(perLayerAccuracy(LOGITS, Int32Array.from([0, 1, 2]))).rejects.toThrow(
      'per-layer accuracy: 3 labels for 4 samples',
    );
    await expect(perLayerLoss(LOGITS, Int32Array.from([0, 1, 3, 1]))).rejects.toThrow(
      'per-layer loss: label 3 of sample 2 is not a class of 0..2',
    );
    await expect(saturationLayers([LOGITS[0], LOGITS[1].slice(1)])).rejects.toThrow(
      'saturation layers: layer_1 logits have shape [3,3], expected [4, 3]',
    );
    const bad = LOGITS[2].map((row) => [...row]);
    bad[1][2] = NaN;
    await expect(perLayerAccuracy([LOGITS[0], bad], LABELS)).rejects.toThrow(
      /layer_1 contains 1 NaN/,
    );
  });
});

describe('saturation and minimal depth on plain arrays', () => {
  it('saturation counts from the first layer given', () => {
    const preds = [
      [3, 1, 1],
      [3, 2, 1],
      [3, 2, 0],
    ].map((p) => Int32Array.from(p));
    expect(Array.from(saturationFromPredictions(preds))).toEqual([0, 1, 2]);
    expect(Array.from(saturationFromPredictions([Int32Array.from([5, 6])]))).toEqual([0, 0]);
  });

  it('minimal depth is the first layer within the tolerance of the last', () => {
    const acc = [0.2, 0.5, 0.88, 0.9, 0.89];
    expect(minimalDepth(acc)).toBe(2); // 0.88 ≥ 0.89 − 0.01, on the boundary
    expect(minimalDepth(acc, 0)).toBe(3); // a layer above the last one counts
    expect(minimalDepth(acc, 0.5)).toBe(1); // 0.5 ≥ 0.39
    expect(minimalDepth(acc, 0.7)).toBe(0);
    expect(minimalDepth([0.7])).toBe(0);
    expect(() => minimalDepth([])).toThrow('minimal depth: no accuracies given');
    expect(() => minimalDepth([0.5, NaN])).toThrow('minimal depth: accuracy of layer_1 is NaN');
  });
});
