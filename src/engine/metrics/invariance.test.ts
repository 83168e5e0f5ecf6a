// Facts the definitions imply, checked on every metric and backend: CKA is unchanged by an
// orthogonal rotation, an isotropic scaling and a translation of one layer; CKA(X,X) = 1 and
// COS(X,X) = 1; matrices are symmetric; cosine, unlike CKA, changes when one layer is rotated.
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

  it('every matrix is symmetric', async () => {
    const got = await similarityMatrices([x0, x1, x1], [...CKAS, 'cosine'], OPTIONS);
    for (const [metric, { values }] of Object.entries(got)) {
      values.forEach((row, l) => row.forEach((v, m) => expect(v, metric).toBe(values[m][l])));
    }
  });
});
