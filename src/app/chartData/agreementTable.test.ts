import { describe, expect, it } from 'vitest';
import type { AnalysisRequest } from '../../engine/apiTypes';
import type { AgreementRowResult } from '../state/results';
import { agreementCaption, agreementCsv, agreementTable } from './agreementTable';

const request = (modelId: string): AnalysisRequest => ({
  modelId,
  dataset: 'mnist',
  samples: 1000,
  seed: 1,
  pooling: 'cls',
  metrics: ['cosine', 'cka', 'procrustes', 'svcca', 'knn'],
  finalNormInHead: true,
  batchSize: 256,
  rbfT: 0.5,
});

const ROWS: AgreementRowResult[] = [
  {
    role: 'main',
    request: request('mnist-aligned'),
    revision: 0,
    agreement: {
      cka: { spearman: 0.9, pearson: 0.8, pairs: 21 },
      procrustes: { spearman: 0.7, pearson: null, pairs: 21 },
      knn: { spearman: null, pearson: null, pairs: 21 },
    },
  },
  { role: 'a', request: request('mnist-standard'), revision: 40, agreement: {} },
];

describe('agreement table', () => {
  it('has a column per measure in a fixed order and a row per checkpoint, gaps as null', () => {
    const t = agreementTable(ROWS, []);
    expect(t.measures.map((m) => m.label)).toEqual([
      'Linear CKA',
      'Procrustes similarity',
      'SVCCA',
      'Mutual k-NN (k = 10)',
    ]);
    expect(t.rows.map((r) => r.name)).toEqual(['mnist-aligned', 'A: mnist-standard @ step 40']);
    expect(t.rows[0].cells.svcca).toBeNull();
    expect(t.rows[0].cells.procrustes?.spearman).toBe(0.7);
    expect(t.rows[0].pairs).toBe(21);
    expect(t.rows[1].pairs).toBe(0);
  });

  it('writes one CSV line per checkpoint and measure, and says what it is of', () => {
    const lines = agreementCsv(agreementTable(ROWS, [])).split('\n');
    expect(lines[0]).toBe('checkpoint,measure,spearman,pearson,pairs');
    expect(lines[1]).toBe('mnist-aligned,Linear CKA,0.9,0.8,21');
    expect(lines[4]).toBe('mnist-aligned,Mutual k-NN (k = 10),,,21');
    expect(lines).toHaveLength(9);
    expect(agreementCaption(ROWS)).toBe(
      'Agreement of each measure with cosine: Spearman ρ (Pearson r) over the layer pairs l < m · mnist test, N = 1,000 · cls pooling',
    );
  });
});
