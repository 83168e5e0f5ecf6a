import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { memoryLayerRows } from '../metrics/layerRows';
import { ALL_METRICS } from '../metrics/similarity';
import { analyzeAcross } from '../pipeline/analyzeAcross';
import { decoderInputFromArrays, type DecoderInput } from './decoderInput';
import { decoderLayerRows } from './decoderLayerRows';
import { sampleTokenPositions, type DecoderPooling } from './decoderPooling';
import { decoderSimilarity } from './decoderSimilarity';
import { disposeDecoderParams, type DecoderParams } from './decoderWeights';
import { loadDecoder } from './loadDecoder';
import {
  DECODER_CASES,
  DECODER_FIXTURES,
  decoderExpected,
  decoderFiles,
  decoderInputArrays,
} from './fixtures/decoderCases';

type Matrices = { cosine: number[][]; cka: number[][] };
interface Reference {
  cases: Record<
    string,
    { realTokens: number } & Record<DecoderPooling, Matrices & { rows: number }>
  >;
  across: { model: string; versusModel: string; input: string; last: Matrices; tokens: Matrices };
}
const REFERENCE = JSON.parse(
  readFileSync(`${DECODER_FIXTURES}similarity.json`, 'utf8'),
) as Reference;

function maxAbsDiff(a: (number | null)[][] | undefined, b: number[][]): number {
  expect(a).toBeDefined();
  expect(a!.map((r) => r.length)).toEqual(b.map((r) => r.length));
  return Math.max(...a!.flatMap((row, i) => row.map((v, j) => Math.abs(v! - b[i][j]))));
}

async function open(name: string, inputOf = name): Promise<[DecoderParams, DecoderInput]> {
  const { params } = await loadDecoder(await decoderFiles(name));
  const arrays = decoderInputArrays(inputOf);
  return [params, decoderInputFromArrays(arrays, params.config, `${inputOf}/input.npz`)];
}

describe('decoderSimilarity', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  const poolings: DecoderPooling[] = ['last', 'tokens', 'mean'];
  it.each(DECODER_CASES.flatMap((c) => poolings.map((p) => [c.name, p] as const)))(
    '%s, %s pooling: cosine and linear CKA within 1e-4 of the float64 reference on transformers',
    async (name, pooling) => {
      const [params, input] = await open(name);
      const want = REFERENCE.cases[name];
      // Batches of 2 over 2-3 samples: the rows cross a batch boundary.
      const { report, facts } = await decoderSimilarity(params, input, ['cosine', 'cka'], {
        pooling,
        batchSize: 2,
      });
      disposeDecoderParams(params);
      expect(facts.rows).toBe(want[pooling].rows);
      expect(facts.realTokens).toBe(want.realTokens);
      expect(report.n).toBe(want[pooling].rows);
      expect(report.layers).toHaveLength(params.config.numLayers + 1);
      expect(maxAbsDiff(report.metrics.cosine, want[pooling].cosine)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics.cka, want[pooling].cka)).toBeLessThan(1e-4);
    },
  );

  it.each(['last', 'tokens'] as const)(
    'two decoders on one input, %s pooling: the cross matrices of the reference',
    async (pooling) => {
      const { model, versusModel, input: source } = REFERENCE.across;
      const inputOf = source.split('/')[0];
      const rows = [];
      for (const name of [model, versusModel]) {
        const [params, input] = await open(name, inputOf);
        rows.push(await decoderLayerRows(params, input, { pooling }));
        disposeDecoderParams(params);
      }
      const [a, b] = rows.map((r) => memoryLayerRows(r.layers));
      const report = await analyzeAcross(a, b, ['cosine', 'cka']);
      const want = REFERENCE.across[pooling];
      expect(maxAbsDiff(report.metrics.cosine, want.cosine)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics.cka, want.cka)).toBeLessThan(1e-4);
    },
  );

  it('tokens under a cap: the drawn positions, the same in every layer, whatever the batch size', async () => {
    const [params, input] = await open('llama-a'); // left padding, 22 real tokens
    const expected = decoderExpected('llama-a');
    const d = params.config.hiddenSize;
    const drawn = sampleTokenPositions(input.mask, input.n, input.t, 7, 3).positions;
    const rows = await decoderLayerRows(params, input, {
      pooling: 'tokens',
      maxRows: 7,
      seed: 3,
      batchSize: 1,
    });
    const whole = await decoderLayerRows(params, input, { pooling: 'tokens', maxRows: 7, seed: 3 });
    disposeDecoderParams(params);
    expect([...rows.positions!]).toEqual([...drawn]);
    expect(rows).toMatchObject({ rows: 7, realTokens: 22, maxRows: 7, seed: 3 });
    rows.layers.forEach((layer, l) => {
      expect(layer.n).toBe(7);
      expect(whole.layers[l].data).toEqual(layer.data);
      const states = expected.get(`hidden_${l}`)!.data as Float32Array;
      drawn.forEach((p, r) => {
        for (let k = 0; k < d; k++) {
          const want = states[p * d + k];
          const got = layer.data[r * d + k];
          expect(Math.abs(got - want) / Math.max(1, Math.abs(want))).toBeLessThan(1e-4);
        }
      });
    });
  });

  it('leaves no tensor behind, for every pooling and every measure', async () => {
    const [params, input] = await open('gpt2-a');
    const before = tf.memory().numTensors;
    for (const pooling of poolings)
      await decoderSimilarity(params, input, undefined, { pooling, maxRows: 5, batchSize: 2 });
    const tokens = { pooling: 'tokens', maxRows: 15, batchSize: 2 } as const;
    const { report } = await decoderSimilarity(params, input, ALL_METRICS, tokens, { knnK: 3 });
    expect(Object.keys(report.metrics).sort()).toEqual([...ALL_METRICS].sort());
    expect(tf.memory().numTensors).toBe(before);
    disposeDecoderParams(params);
  });
});
