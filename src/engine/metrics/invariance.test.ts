// Facts the definitions imply, checked on every metric and backend: CKA is unchanged by an
// orthogonal rotation, an isotropic scaling and a translation of one layer; CKA(X,X) = 1 and
// COS(X,X) = 1; each metric is symmetric in its two layers; cosine, unlike CKA, changes when one layer is rotated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { similarityMatrices } from './similarity';
import type { SimilarityMetric } from './types';
import { TEST_BACKENDS, maxAbsDiff, randomLayer, rotation } from './testing';

const CKAS: SimilarityMetric[] = ['cka', 'cka-debiased', 'cka-minibatch', 'cka-rbf'];
const OPTIONS = { batchSize: 13, rbfT: 0.5 };
const TOL = 1e-5;

describe.each(TEST_BACKENDS)('invariances on %s', (backend) => {
  let x0: Tensor2D;
  let x1: Tensor2D;
  let x2: Tensor2D;
  let q: Tensor2D;

  beforeAll(async () => {
    await initNodeBackend(backend);
    x0 = randomLayer(40, 16, 1);
    x1 = tf.tidy(() => tf.add(x0, tf.mul(randomLayer(40, 16, 2), 0.7)) as Tensor2D);
    x2 = tf.tidy(() => tf.tanh(tf.matMul(x1, randomLayer(16, 24, 3))) as Tensor2D);
    q = rotation(16, 7);
  });
  afterAll(() => [x0, x1, x2, q].forEach((t) => t.dispose()));

  it('CKA is unchanged by rotating, scaling and translating one layer', async () => {
    const moved = tf.tidy(() => tf.add(tf.mul(tf.matMul(x1, q), 3.7), 2.5) as Tensor2D);
    const before = await similarityMatrices([x0, x1, x2], CKAS, OPTIONS);
    const after = await similarityMatrices([x0, moved, x2], CKAS, OPTIONS);
    moved.dispose();
    for (const metric of CKAS) {
      expect(maxAbsDiff(after[metric].values, before[metric].values), metric).toBeLessThan(TOL);
      // The comparison is not vacuous: the layers differ.
      expect(before[metric].values[0][1], metric).toBeLessThan(0.95);
    }
  });

  it('CKA(X, X) = CKA(X, XQ) = 1 off the diagonal; cosine is 1 only for the same X', async () => {
    const rotated = tf.matMul(x1, q) as Tensor2D;
    const got = await similarityMatrices([x1, x1, rotated], [...CKAS, 'cosine'], OPTIONS);
    rotated.dispose();
    for (const metric of CKAS) {
      expect(Math.abs(got[metric].values[0][1]! - 1), metric).toBeLessThan(TOL);
      expect(Math.abs(got[metric].values[0][2]! - 1), metric).toBeLessThan(TOL);
    }
    expect(Math.abs(got.cosine.values[0][1]! - 1)).toBeLessThan(TOL);
    expect(got.cosine.values[0][2]!).toBeLessThan(0.9);
  });

  it('cosine is unchanged by scaling a layer (per sample), but not by translating it', async () => {
    const scaled = tf.mul(x1, 5) as Tensor2D;
    const shifted = tf.add(x1, 3) as Tensor2D;
    const got = await similarityMatrices([x0, x1, scaled, shifted], ['cosine'], OPTIONS);
    [scaled, shifted].forEach((t) => t.dispose());
    const v = got.cosine.values;
    expect(Math.abs(v[0][2]! - v[0][1]!)).toBeLessThan(TOL);
    expect(Math.abs(v[0][3]! - v[0][1]!)).toBeGreaterThan(0.05);
  });

  // The matrices are filled by mirroring, so comparing a matrix with its transpose proves
  // nothing. Reversing the layers puts each pair's arguments the other way round: S(a, b) in one
  // run faces S(b, a) in the other, each computed, none mirrored.
  it('each metric is symmetric in its two layers: reversing the layers reverses the matrix', async () => {
    const x3 = tf.tidy(() => tf.tanh(tf.matMul(x1, rotation(16, 9))) as Tensor2D);
    const cases: [SimilarityMetric[], Tensor2D[]][] = [
      [CKAS, [x0, x1, x2]],
      [['cosine'], [x0, x1, x3]],
    ];
    for (const [metrics, layers] of cases) {
      const forward = await similarityMatrices(layers, metrics, OPTIONS);
      const backward = await similarityMatrices([...layers].reverse(), metrics, OPTIONS);
      const k = layers.length - 1;
      for (const metric of metrics) {
        const f = forward[metric].values;
        const b = backward[metric].values;
        const flipped = b.map((_, l) => b[k - l].map((_, m) => b[k - l][k - m]));
        expect(maxAbsDiff(f, flipped), metric).toBeLessThan(TOL);
        // Not vacuous: the pairs differ from each other.
        expect(Math.abs(f[0][1]! - f[1][2]!), metric).toBeGreaterThan(1e-3);
      }
    }
    x3.dispose();
  });
});
