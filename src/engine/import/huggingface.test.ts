import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint';
import { readSafetensors } from '../io/safetensors';
import { forward } from '../model/forward';
import { disposeParams } from '../model/params';
import type { LoadedModel } from '../pipeline/evaluate';
import {
  CASES,
  caseInputArrays,
  checkpointFiles,
  expectedOutputs,
  maxAbsDiff,
  maxRelDiffRows,
  type FixtureCase,
} from './fixtures/cases';
import { importHuggingFace } from './huggingface';
import { modelInputFromArrays, type ModelInputArrays } from './modelInputArrays';

// Tiny transformers models of fixtures/make_fixtures.py, matched layer by layer.
const TOLERANCE = 1e-4;

/** Text architectures whose fixtures must include padded positions. */
const TEXT_PREFIXES = ['bert', 'roberta', 'xlmr', 'distilbert'];

/** Every hidden state and the logits of one forward pass, read back. */
async function runModel(model: LoadedModel, input: ModelInputArrays) {
  const capture = tf.tidy(() => {
    const modelInput =
      input.kind === 'image'
        ? { kind: 'image' as const, pixels: tf.tensor4d(input.pixels, input.shape) }
        : {
            kind: 'text' as const,
            ids: tf.tensor2d(input.ids, input.shape, 'int32'),
            mask: tf.tensor2d(input.mask, input.shape, 'float32'),
          };
    return forward(model.params, model.config, modelInput);
  });
  const hidden = await Promise.all(
    capture.hidden.map(async (h) => ({ shape: h.shape, data: await h.data() })),
  );
  const logits = { shape: capture.finalLogits.shape, data: await capture.finalLogits.data() };
  tf.dispose(capture);
  return { hidden, logits };
}

async function expectMatchesTransformers(model: LoadedModel, c: FixtureCase): Promise<void> {
  const input = modelInputFromArrays(caseInputArrays(c), model.config, c.input);
  const { hidden, logits } = await runModel(model, input);
  const expected = expectedOutputs(c.name);
  expect(hidden.length).toBe(c.layers + 1);
  // Each token row checked within 1e-4 of max(1, |value|), real and padded tokens apart.
  const padded = (row: number) => input.kind === 'text' && input.mask[row] === 0;
  let paddedRows = 0;
  for (const [l, h] of hidden.entries()) {
    const want = expected.get(`hidden_${l}`)!;
    expect(h.shape, `hidden_${l} shape`).toEqual(want.shape);
    const width = want.shape[2];
    const real = maxRelDiffRows(h.data, want.data, width, (r) => !padded(r));
    const pads = maxRelDiffRows(h.data, want.data, width, padded);
    expect(real.rows, `hidden_${l} real tokens`).toBeGreaterThan(0);
    expect(real.diff, `hidden_${l} at real tokens`).toBeLessThan(TOLERANCE);
    expect(pads.diff, `hidden_${l} at padded tokens`).toBeLessThan(TOLERANCE);
    paddedRows += pads.rows;
  }
  if (input.kind === 'text' && input.mask.includes(0)) expect(paddedRows).toBeGreaterThan(0);
  const want = expected.get('logits')!;
  expect(logits.shape).toEqual(want.shape);
  expect(maxAbsDiff(logits.data, want.data), 'logits').toBeLessThan(TOLERANCE);
}

describe.each(['cpu', 'wasm'] as const)('importHuggingFace on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: every hidden state and the logits match transformers within 1e-4',
    async (_, c) => {
      const model = importHuggingFace(checkpointFiles(c.name));
      expect(model.unusedTensors).toEqual([]);
      await expectMatchesTransformers(model, c);
      disposeParams(model.params);
    },
  );
});

describe('the fixtures', () => {
  it('hold a padded batch for every text architecture', () => {
    for (const prefix of TEXT_PREFIXES) {
      const withPadding = CASES.filter(
        (c) =>
          c.name.startsWith(`${prefix}-`) &&
          caseInputArrays(c).some((a) => a.name === 'attention_mask' && a.data.includes(0)),
      );
      expect(withPadding.length, prefix).toBeGreaterThan(0);
    }
  });
});

describe('importHuggingFace: what it reads', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('maps each architecture onto the model with the hub options', () => {
    const vit = importHuggingFace(checkpointFiles('vit-b'));
    expect(vit.architecture).toBe('ViTForImageClassification');
    expect(vit.config).toMatchObject({
      architecture: 'vit',
      norm: 'pre',
      qkvBias: false,
      activation: 'gelu_tanh',
      layerNormEps: 1e-6,
      imageSize: 6,
      patchSize: 3,
      numChannels: 1,
      labels: ['a', 'b', 'c', 'd', 'e'],
    });
    expect(vit.config).not.toHaveProperty('distillationToken');
    const deit = importHuggingFace(checkpointFiles('deit-a'));
    expect(deit.architecture).toBe('DeiTForImageClassification');
    expect(deit.config).toMatchObject({ distillationToken: true, labels: ['x', 'y', 'z'] });
    const bert = importHuggingFace(checkpointFiles('bert-b'));
    expect(bert.architecture).toBe('BertForSequenceClassification');
    expect(bert.config).toMatchObject({
      architecture: 'text',
      norm: 'post',
      embeddingNorm: true,
      finalNorm: false,
      pooler: true,
      classToken: false,
      maxLength: 10,
      vocabSize: 30,
      padTokenId: 1,
      activation: 'relu',
      layerNormEps: 1e-7,
    });
    expect(bert.notes.join(' ')).toMatch(/token-type embedding row 0/);
    for (const m of [vit, deit, bert]) disposeParams(m.params);
  });

  it('round-trips an imported DeiT, BERT, RoBERTa and DistilBERT through a Strata checkpoint', async () => {
    const names = ['deit-b', 'bert-a', 'roberta-a', 'distilbert-b'];
    for (const c of CASES.filter((x) => names.includes(x.name))) {
      const imported = importHuggingFace(checkpointFiles(c.name));
      const saved = await saveCheckpoint(imported);
      disposeParams(imported.params);
      const reloaded = loadCheckpoint({ ...saved, source: `${c.name}-saved` });
      await expectMatchesTransformers(reloaded, c);
      disposeParams(reloaded.params);
    }
  });

  it('reads legacy LayerNorm gamma/beta names, as transformers does', async () => {
    const files = checkpointFiles('bert-a');
    const { tensors } = readSafetensors(files.weights, 'bert-a');
    const { writeSafetensors } = await import('../io/safetensors');
    const renamed = tensors.map((t) => ({
      ...t,
      name: t.name
        .replace(/LayerNorm\.weight$/, 'LayerNorm.gamma')
        .replace(/LayerNorm\.bias$/, 'LayerNorm.beta'),
    }));
    expect(renamed.some((t) => t.name.endsWith('gamma'))).toBe(true);
    const model = importHuggingFace({ ...files, weights: writeSafetensors(renamed) });
    expect(model.unusedTensors).toEqual([]);
    await expectMatchesTransformers(
      model,
      CASES.find((c) => c.name === 'bert-a')!,
    );
    disposeParams(model.params);
  });

  it("trains DeiT's distillation token: the loss has a finite, non-zero gradient for it", async () => {
    const c = CASES.find((x) => x.name === 'deit-a')!;
    const model = importHuggingFace(checkpointFiles(c.name));
    const input = modelInputFromArrays(caseInputArrays(c), model.config, c.input);
    const token =
      model.params.embeddings.kind === 'vision' ? model.params.embeddings.distillationToken! : null;
    const pixels = tf.tensor4d(
      (input as { pixels: Float32Array }).pixels,
      input.shape as [number, number, number, number],
    );
    const { grads, value } = tf.variableGrads(
      () =>
        tf.sum(
          forward(model.params, model.config, { kind: 'image', pixels }).finalLogits,
        ) as tf.Scalar,
      [token!],
    );
    const g = await grads[token!.name].data();
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g.some((v) => v !== 0)).toBe(true);
    tf.dispose([pixels, value, grads]);
    disposeParams(model.params);
  });

  it('leaves no tensor behind: import, forward, dispose', async () => {
    const c = CASES.find((x) => x.name === 'deit-a')!;
    const once = async () => {
      const model = importHuggingFace(checkpointFiles(c.name));
      const input = modelInputFromArrays(caseInputArrays(c), model.config, c.input);
      await runModel(model, input);
      disposeParams(model.params);
    };
    await once(); // warm-up
    const before = tf.memory().numTensors;
    await once();
    expect(tf.memory().numTensors).toBe(before);
  });
});
