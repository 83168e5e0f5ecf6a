import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type DecoderSimilarityResponse, type EngineApi } from '../../engine/api';
import { decoderFiles, decoderInputArrays } from '../../engine/decoder/fixtures/decoderCases';
import { nodeEngineHost } from '../../engine/nodeHost';
import type { SimilarityReport } from '../../engine/pipeline/analyze';
import {
  lmAcrossCaption,
  lmAcrossHeatmap,
  lmRowsText,
  lmSimilarityCaption,
  lmSimilarityHeatmap,
} from './lmSimilarity';

// The heatmaps of the page's LM similarity section against engine.decoderSimilarity itself, run
// in Node on the GPT-2 fixture (2 blocks, width 32) and its token ids.

let engine: EngineApi;
let tokens: DecoderSimilarityResponse;
let last: DecoderSimilarityResponse;
let across: DecoderSimilarityResponse;

beforeAll(async () => {
  engine = createEngine(nodeEngineHost());
  await engine.init({ backend: 'cpu' });
  const files = await decoderFiles('gpt2-a');
  const base = { files, source: 'gpt2-a', input: decoderInputArrays('gpt2-a') };
  const metrics = ['cosine' as const, 'cka' as const];
  tokens = await engine.decoderSimilarity({
    ...base,
    pooling: 'tokens',
    maxRows: 7,
    seed: 3,
    metrics,
  });
  last = await engine.decoderSimilarity({ ...base, pooling: 'last', metrics });
  across = await engine.decoderSimilarity({
    ...base,
    pooling: 'last',
    metrics,
    versus: { files, source: 'gpt2-a copy' },
  });
});

describe('LM similarity heatmaps', () => {
  it('draw the engine’s matrices over h_0 … h_L, entry for entry', () => {
    for (const response of [tokens, last])
      for (const metric of ['cosine', 'cka'] as const) {
        const report = response.report;
        const data = lmSimilarityHeatmap(report, metric)!;
        expect(data.rowLabels).toEqual(report.layers);
        expect(data.colLabels).toEqual(report.layers);
        expect(data.rowLabels).toHaveLength(3); // embeddings and 2 blocks
        expect(data.values).toEqual(report.metrics[metric]);
        // cos(h, h) = 1 and CKA(h, h) = 1 on the diagonal: these are real matrices.
        data.values.forEach((row, i) => expect(row[i]).toBeCloseTo(1, 5));
      }
    expect(lmSimilarityHeatmap(tokens.report, 'cka-rbf')).toBeNull();
    expect(lmSimilarityHeatmap(across.report, 'cosine')).toBeNull();
  });

  it('draw A × B across two models with A’s layers as rows', () => {
    const report = across.report as { layers: string[]; versusLayers: string[] };
    const data = lmAcrossHeatmap(across.report, 'cka')!;
    expect(data.rowLabels).toEqual(report.layers.map((l) => `A ${l}`));
    expect(data.colLabels).toEqual(report.versusLayers.map((l) => `B ${l}`));
    expect(data.values).toEqual(across.report.metrics.cka);
    // The same model on both sides: its own matrix.
    const own = lmSimilarityHeatmap(last.report, 'cka')!.values;
    data.values.forEach((row, i) => row.forEach((v, j) => expect(v!).toBeCloseTo(own[i][j]!, 5)));
    expect(lmAcrossHeatmap(last.report, 'cka')).toBeNull();
  });

  it('captions say the model, the texts, the pooling and the rows kept, cap and seed', () => {
    const f = tokens.facts;
    expect(f.pooling).toBe('tokens');
    expect(f.rows).toBe(7);
    expect(f.realTokens).toBeGreaterThan(7);
    const run = { model: 'gpt2-a', textSource: 'input.npz', facts: f };
    expect(lmSimilarityCaption('cka', run)).toBe(
      `LM similarity: Linear CKA · gpt2-a · input.npz · every real token a row: 7 of ${f.realTokens} kept (cap 7, seed 3)`,
    );
    expect(lmRowsText({ ...f, rows: f.realTokens, maxRows: 4096 })).toBe(
      `every real token a row: all ${f.realTokens} kept (cap 4,096, seed 3)`,
    );
    const n = last.facts.rows;
    expect(lmSimilarityCaption('cosine', { ...run, facts: last.facts }, 'gpt2-b')).toBe(
      `LM similarity: Cosine similarity · gpt2-b · input.npz · last-token pooling, N = ${n} texts`,
    );
    expect(lmRowsText({ pooling: 'mean', rows: 1200, realTokens: 9000 })).toBe(
      'mean pooling, N = 1,200 texts',
    );
    expect(lmSimilarityCaption('cka-minibatch', { ...run, facts: last.facts })).toMatch(
      / · minibatches of 256 rows$/,
    );
    expect(lmAcrossCaption('cka', { ...run, facts: last.facts }, 'gpt2-b')).toBe(
      `LM similarity: Linear CKA across A gpt2-a × B gpt2-b · input.npz · last-token pooling, N = ${n} texts`,
    );
    expect(lmSimilarityCaption('cka', null)).toBe('LM similarity: Linear CKA (not run yet)');
  });

  it('hatch the layers whose entries are undefined, with the engine’s reason', () => {
    const report: SimilarityReport = {
      layers: ['embeddings', 'layer_1'],
      n: 4,
      metrics: {
        cka: [
          [null, null],
          [null, 1],
        ],
      },
      notes: { cka: ['embeddings: constant over the rows; its entries are null'] },
      agreement: {},
    };
    const data = lmSimilarityHeatmap(report, 'cka')!;
    expect(data.rowNotes).toEqual(['embeddings: constant over the rows', null]);
    expect(data.colNotes).toEqual(data.rowNotes);
  });
});
