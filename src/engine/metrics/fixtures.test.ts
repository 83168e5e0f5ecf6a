// Every metric against the float64 references of fixtures/make_fixtures.py (literal NumPy
// definitions), on each Node backend. Tolerance: 1e-5 absolute — all these metrics lie in [−1, 1].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor2D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { debiasedCkaMatrix, linearCkaMatrix, minibatchCkaMatrix } from './cka';
import { cosineSimilarityMatrix } from './cosine';
import { rbfCkaMatrix } from './rbfCka';
import { FIXTURE_SETS, TEST_BACKENDS, fixtureLayers, maxAbsDiff } from './testing';

const TOL = 1e-5;

describe.each(TEST_BACKENDS)('metrics match the NumPy references on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  describe.each(FIXTURE_SETS.map((s) => [s.name, s] as const))('%s', (_name, set) => {
    let layers: Tensor2D[];
    beforeAll(() => {
      layers = fixtureLayers(set);
    });
    afterAll(() => layers.forEach((x) => x.dispose()));

    it.each(['feature', 'gram'] as const)('linear CKA, %s path', async (path) => {
      const got = await linearCkaMatrix(layers, { path });
      expect(maxAbsDiff(got.values, set.cka)).toBeLessThan(TOL);
    });

    it.each(['feature', 'gram'] as const)('debiased CKA, %s path', async (path) => {
      const got = await debiasedCkaMatrix(layers, { path });
      expect(maxAbsDiff(got.values, set.ckaDebiased)).toBeLessThan(TOL);
    });

    it.each(set.ckaMinibatch.map((r) => [r.batchSize, r] as const))(
      'minibatch CKA, batches of %i',
      async (batchSize, ref) => {
        const got = await minibatchCkaMatrix(layers, { batchSize });
        expect(maxAbsDiff(got.values, ref.values)).toBeLessThan(TOL);
        const rest = set.n % batchSize;
        expect(got.notes.some((s) => s.includes(`the last ${rest} rows`))).toBe(
          rest > 0 && rest < 4,
        );
      },
    );

    it.each(set.ckaRbf.map((r) => [r.t, r] as const))('RBF CKA, t = %f', async (t, ref) => {
      const got = await rbfCkaMatrix(layers, { t });
      expect(maxAbsDiff(got.values, ref.values)).toBeLessThan(TOL);
    });

    it('cosine', async () => {
      if (set.cosine === null) {
        await expect(cosineSimilarityMatrix(layers)).rejects.toThrow(/cosine needs equal widths/);
      } else {
        const got = await cosineSimilarityMatrix(layers);
        expect(maxAbsDiff(got.values, set.cosine)).toBeLessThan(TOL);
      }
    });

    it('marks each constant layer null, with a note', async () => {
      const got = await linearCkaMatrix(layers);
      for (const l of set.constantLayers) {
        expect(got.values[l].every((v) => v === null)).toBe(true);
        expect(got.notes.join('\n')).toMatch(new RegExp(`layer_${l}: zero variance`));
      }
    });
  });
});
