import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { Capture } from '../model/forward';
import { crossEntropy, trainingLoss } from './losses';
import { layerWeights } from './schedule';

/** A capture with only what the losses read: per-layer logits for layers 0..L. */
function fakeCapture(logits: Tensor2D[], layerHeadLogits?: Tensor2D[]): Capture {
  return {
    hidden: [],
    layers: logits.map((_, l) => l),
    pooled: [],
    logits,
    layerHeadLogits,
    finalLogits: logits[logits.length - 1],
  };
}

// Layers 0..3 (L = 3), two samples, two classes; labels [0, 1].
const LOGITS = [
  [
    [9, 9],
    [9, 9],
  ], // layer 0: never used by a loss
  [
    [0, 0],
    [0, 0],
  ], // CE = ln 2 for both samples
  [
    [Math.log(3), 0],
    [0, Math.log(3)],
  ], // p(true) = 3/4: CE = ln(4/3)
  [
    [0, Math.log(3)],
    [0, Math.log(3)],
  ], // sample 0: p = 1/4 → ln 4; sample 1: p = 3/4 → ln(4/3)
];
const CE = [Math.log(2), Math.log(4 / 3), (Math.log(4) + Math.log(4 / 3)) / 2];

describe('losses', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('cross-entropy equals the hand-computed value', async () => {
    const z = tf.tensor2d(LOGITS[3]);
    const y = tf.tensor1d([0, 1], 'int32');
    const ce = crossEntropy(z, y);
    expect((await ce.data())[0]).toBeCloseTo(CE[2], 6);
    tf.dispose([z, y, ce]);
  });

  it('aligned loss = Σ λ_l CE_l with linear weights 1/6, 2/6, 3/6', async () => {
    const logits = LOGITS.map((z) => tf.tensor2d(z));
    const y = tf.tensor1d([0, 1], 'int32');
    const { total, terms } = trainingLoss(
      fakeCapture(logits),
      y,
      'aligned',
      layerWeights('linear', 3),
    );
    const expected = (1 / 6) * CE[0] + (2 / 6) * CE[1] + (3 / 6) * CE[2];
    expect((await total.data())[0]).toBeCloseTo(expected, 6);
    expect(await Promise.all(terms.map(async (t) => (await t.data())[0]))).toEqual(
      CE.map((c) => expect.closeTo(c, 6)),
    );
    const standard = trainingLoss(fakeCapture(logits), y, 'standard', [1]);
    expect((await standard.total.data())[0]).toBeCloseTo(CE[2], 6);
    tf.dispose([...logits, y, total, ...terms, standard.total]);
  });

  it('multihead uses the per-layer heads below L and the model head at L', async () => {
    const shared = LOGITS.map((z) => tf.tensor2d(z));
    // Per-layer heads g_1..g_3 all output uniform logits (CE = ln 2); g_3 is not used.
    const heads = [1, 2, 3].map(() => tf.zeros([2, 2]) as Tensor2D);
    const y = tf.tensor1d([0, 1], 'int32');
    const { total } = trainingLoss(
      fakeCapture(shared, heads),
      y,
      'multihead',
      layerWeights('uniform', 3),
    );
    expect((await total.data())[0]).toBeCloseTo((Math.log(2) + Math.log(2) + CE[2]) / 3, 6);
    tf.dispose([...shared, ...heads, y, total]);
  });

  it('standard sends no gradient to intermediate read-outs; aligned reaches every layer', async () => {
    const y = tf.tensor1d([0, 1], 'int32');
    const inputs = LOGITS.map((z) => tf.variable(tf.tensor2d(z)));
    const gradNorms = async (kind: 'standard' | 'aligned') => {
      const weights = kind === 'standard' ? [1] : layerWeights('linear', 3);
      const { value, grads } = tf.variableGrads(
        () => trainingLoss(fakeCapture(inputs as Tensor2D[]), y, kind, weights).total,
        inputs,
      );
      // A read-out the loss does not use gets no gradient at all (null).
      const norms = await Promise.all(
        inputs.map(async (v) => (grads[v.name] ? (await tf.norm(grads[v.name]).data())[0] : 0)),
      );
      tf.dispose([value, ...Object.values(grads)]);
      return norms;
    };
    const standard = await gradNorms('standard');
    expect(standard.slice(0, 3)).toEqual([0, 0, 0]);
    expect(standard[3]).toBeGreaterThan(0);
    const aligned = await gradNorms('aligned');
    expect(aligned[0]).toBe(0); // the embedding layer is not part of the aligned sum
    aligned.slice(1).forEach((n) => expect(n).toBeGreaterThan(0));
    tf.dispose([...inputs, y]);
  });
});

describe('the aligned loss over all layers at once', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('matches per-layer cross-entropy, its weighted sum and its gradients within 1e-6, in fewer kernels', async () => {
    const [L, B, C] = [6, 32, 10];
    const labels = tf.tensor1d(
      Array.from({ length: B }, (_, i) => (i * 7) % C),
      'int32',
    );
    const logits = Array.from({ length: L + 1 }, (_, l) =>
      tf.randomNormal([B, C], 0, 3, 'float32', 40 + l),
    ) as Tensor2D[];
    const weights = layerWeights('linear', L);
    // Gradients with respect to layers 1..L (layer 0's logits reach no loss).
    const layers = logits.slice(1);
    const perLayer = (...zs: Tensor2D[]) => {
      const terms = zs.map((z) => crossEntropy(z, labels));
      return tf.addN(terms.map((t, i) => tf.mul(t, weights[i])));
    };
    const batched = (...zs: Tensor2D[]) =>
      trainingLoss(fakeCapture([logits[0], ...zs]), labels, 'aligned', weights).total;
    const [a, b] = [perLayer, batched].map((f) => tf.grads(f as never)(layers));
    for (let l = 0; l < L; l++) {
      const [x, y] = [await a[l].data(), await b[l].data()];
      for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(1e-6);
    }
    const parts = trainingLoss(fakeCapture(logits), labels, 'aligned', weights);
    const terms = await Promise.all(parts.terms.map((t) => t.data()));
    const expected = await Promise.all(layers.map((z) => crossEntropy(z, labels).data()));
    terms.forEach((t, l) => expect(Math.abs(t[0] - expected[l][0])).toBeLessThan(1e-6));
    const total = (await parts.total.data())[0];
    expect(Math.abs(total - (await perLayer(...layers).data())[0])).toBeLessThan(1e-6);
    const count = async (f: (...zs: Tensor2D[]) => tf.Tensor) =>
      (await tf.profile(() => tf.dispose(tf.grads(f as never)(layers)))).kernels.length;
    expect(await count(batched)).toBeLessThan((await count(perLayer)) / 2);
  });
});
