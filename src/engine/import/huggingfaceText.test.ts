import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { configFromJson, configToJson } from '../model/configJson';
import { positionIdsAfterPadding } from '../model/embeddings';
import { forward } from '../model/forward';
import { disposeParams } from '../model/params';
import {
  CASES,
  caseInputArrays,
  checkpointFiles,
  expectedOutputs,
  maxAbsDiff,
} from './fixtures/cases';
import { sinusoidalPositions } from './hfWeights';
import { importHuggingFace } from './huggingface';
import { modelInputFromArrays } from './modelInputArrays';

// RoBERTa / XLM-R and DistilBERT specifics; huggingface.test.ts matches every layer of each.

/** The model's final logits on a fixture's inputs, read back. */
async function logitsOf(model: ReturnType<typeof importHuggingFace>, name: string) {
  const c = CASES.find((x) => x.name === name)!;
  const input = modelInputFromArrays(caseInputArrays(c), model.config, c.input);
  if (input.kind !== 'text') throw new Error('text fixture expected');
  const out = tf.tidy(
    () =>
      forward(model.params, model.config, {
        kind: 'text',
        ids: tf.tensor2d(input.ids, input.shape, 'int32'),
        mask: tf.tensor2d(input.mask, input.shape, 'float32'),
      }).finalLogits,
  );
  const data = await out.data();
  out.dispose();
  return data;
}

describe('RoBERTa, XLM-R and DistilBERT imports', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it("counts RoBERTa's positions after the padding id, pads keeping it (transformers' rule)", async () => {
    // roberta-a row 0 holds the pad id 1 at column 4 with attention_mask 1.
    const ids = tf.tensor2d(
      [
        [46, 45, 31, 38, 1, 14, 42],
        [47, 47, 6, 1, 1, 1, 1],
      ],
      [2, 7],
      'int32',
    );
    const positions = positionIdsAfterPadding(ids, 1);
    expect(positions.dtype).toBe('int32');
    expect(await positions.array()).toEqual([
      [2, 3, 4, 5, 1, 6, 7],
      [2, 3, 4, 1, 1, 1, 1],
    ]);
    tf.dispose([ids, positions]);
  });

  it('maps RoBERTa and XLM-R onto the text model with positions after the padding id', () => {
    for (const [name, architecture, pad, maxLength] of [
      ['roberta-a', 'RobertaForSequenceClassification', 1, 10],
      ['xlmr-a', 'XLMRobertaForSequenceClassification', 3, 8],
    ] as const) {
      const model = importHuggingFace(checkpointFiles(name));
      expect(model.architecture).toBe(architecture);
      expect(model.config).toMatchObject({
        architecture: 'text',
        norm: 'post',
        pooler: true,
        classToken: false,
        padTokenId: pad,
        maxLength,
        positionsAfterPadding: true,
      });
      expect(model.config.poolerActivation).toBeUndefined();
      // The whole table of 12 rows, as in the checkpoint.
      const e = model.params.embeddings;
      expect(e.kind === 'text' && e.positions.shape).toEqual([12, 32]);
      expect(model.unusedTensors).toEqual([]);
      expect(model.notes.join(' ')).toMatch(/positions count from pad_token_id \+ 1/);
      disposeParams(model.params);
    }
  });

  it('maps DistilBERT with its pre_classifier as a ReLU pooler and ε 1e-12', () => {
    const model = importHuggingFace(checkpointFiles('distilbert-b'));
    expect(model.architecture).toBe('DistilBertForSequenceClassification');
    expect(model.config).toMatchObject({
      norm: 'post',
      embeddingNorm: true,
      pooler: true,
      poolerActivation: 'relu',
      layerNormEps: 1e-12,
      activation: 'relu',
      padTokenId: 2,
      maxLength: 8,
      numHeads: 2,
      numLayers: 1,
      mlpSize: 40,
    });
    expect(model.config).not.toHaveProperty('positionsAfterPadding');
    disposeParams(model.params);
  });

  it("computes DistilBERT's sinusoidal table when the checkpoint leaves it out", async () => {
    const files = checkpointFiles('distilbert-b');
    const { tensors } = readSafetensors(files.weights, 'distilbert-b');
    const name = 'distilbert.embeddings.position_embeddings.weight';
    const table = tensors.find((t) => t.name === name)!;
    expect(maxAbsDiff(sinusoidalPositions(8, 32), table.data)).toBeLessThan(1e-6);
    const without = writeSafetensors(tensors.filter((t) => t.name !== name));
    const model = importHuggingFace({ ...files, weights: without });
    const want = expectedOutputs('distilbert-b').get('logits')!;
    expect(maxAbsDiff(await logitsOf(model, 'distilbert-b'), want.data)).toBeLessThan(1e-4);
    disposeParams(model.params);
    // Learned positions (distilbert-a) stay required.
    const a = checkpointFiles('distilbert-a');
    const aTensors = readSafetensors(a.weights, 'distilbert-a').tensors.filter(
      (t) => t.name !== name,
    );
    expect(() => importHuggingFace({ ...a, weights: writeSafetensors(aTensors) })).toThrow(
      /tensor distilbert\.embeddings\.position_embeddings\.weight is missing, expected shape \[12, 32\]/,
    );
  });

  it.each(['cpu', 'wasm'] as const)(
    "trains RoBERTa's position rows on %s: gradient on used rows only, none on unused ones",
    async (backend) => {
      await initNodeBackend(backend);
      const model = importHuggingFace(checkpointFiles('roberta-a'));
      const e = model.params.embeddings;
      if (e.kind !== 'text') throw new Error('text model expected');
      // Positions 1 (pad) and 2..4 are used; rows 0 and 5.. are not.
      const ids = tf.tensor2d([[5, 6, 7, 1]], [1, 4], 'int32');
      const mask = tf.tensor2d([[1, 1, 1, 0]], [1, 4], 'float32');
      const { grads, value } = tf.variableGrads(
        () =>
          tf.sum(
            forward(model.params, model.config, { kind: 'text', ids, mask }).finalLogits,
          ) as tf.Scalar,
        [e.positions],
      );
      const g = await grads[e.positions.name].data();
      const rowNorm = (r: number) =>
        Array.from(g.slice(r * 32, r * 32 + 32)).reduce((s, v) => s + v * v, 0);
      expect([0, 5, 11].map(rowNorm)).toEqual([0, 0, 0]);
      for (const r of [2, 3, 4]) expect(rowNorm(r)).toBeGreaterThan(0);
      tf.dispose([ids, mask, value, grads]);
      disposeParams(model.params);
      await initNodeBackend('cpu');
    },
  );

  it('keeps positions after padding and the ReLU pooler through a Strata config.json', () => {
    for (const name of ['roberta-a', 'distilbert-a']) {
      const model = importHuggingFace(checkpointFiles(name));
      const json = configToJson(model.config);
      expect(configFromJson(JSON.parse(JSON.stringify(json)), 'config.json')).toEqual(model.config);
      disposeParams(model.params);
    }
  });
});
