// Every measure's agreement with cosine, as analyze reports it, against SciPy's spearmanr and
// pearsonr over float64 NumPy matrices of the same layers (fixtures/make_agreement_fixture.py).
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../nodeBackend';
import fixture from '../metrics/fixtures/agreement.json';
import { TEST_BACKENDS } from '../metrics/testing';
import { analyzeLayers } from './analyze';

const MEASURES = ['cka', 'procrustes', 'svcca', 'knn'] as const;
const layers = fixture.layers.map((flat, l) => ({
  name: `layer_${l}`,
  n: fixture.n,
  d: fixture.widths[l],
  data: Float32Array.from(flat),
}));

describe.each(TEST_BACKENDS)('agreement of every measure with cosine on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('equals SciPy’s Spearman ρ and Pearson r over the layer pairs l < m', async () => {
    const report = await analyzeLayers(layers, ['cosine', ...MEASURES], { knnK: fixture.knnK });
    for (const m of MEASURES) {
      const want = fixture.agreement[m];
      const got = report.agreement[`cosine~${m}`];
      expect(got.pairs, m).toBe(want.pairs);
      // Ranks are exact (the fixture keeps the pairs apart); Pearson reads float32 values.
      expect(got.spearman, m).toBeCloseTo(want.spearman, 10);
      expect(got.pearson, m).toBeCloseTo(want.pearson, 4);
    }
  });
});
