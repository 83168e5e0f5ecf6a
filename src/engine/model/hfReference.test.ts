import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { TextConfig } from './config';
import { configFromJson } from './configJson';
import { forward, type Capture } from './forward';
import { paramsFromNamedArrays } from './namedArrays';
import { disposeParams, paramSpecs, type ModelParams } from './params';
import { loadReference, maxAbsDiff, type ReferenceCase } from './fixtures/reference';

// Outputs of tiny transformers models (fixtures/make_fixtures.py), matched layer by layer.
const TOLERANCE = 1e-4;
const reference = loadReference();

async function expectCaptureMatches(capture: Capture, ref: ReferenceCase): Promise<void> {
  expect(capture.hidden.length).toBe(ref.hidden_states.length);
  for (const [l, h] of capture.hidden.entries()) {
    expect(h.shape, `h_${l} shape`).toEqual(ref.hidden_states[l].shape);
    expect(maxAbsDiff(await h.data(), ref.hidden_states[l].data), `h_${l}`).toBeLessThan(TOLERANCE);
  }
  expect(capture.finalLogits.shape).toEqual(ref.logits.shape);
  expect(maxAbsDiff(await capture.finalLogits.data(), ref.logits.data), 'logits').toBeLessThan(
    TOLERANCE,
  );
}

describe.each(['cpu', 'wasm'] as const)('matches Hugging Face transformers on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  describe.each(reference.vit.map((c) => [c.name, c] as const))(
    'ViTForImageClassification %s',
    (_, ref) => {
      const config = configFromJson(ref.config, `${ref.name} config.json`);
      let params: ModelParams;
      beforeAll(() => {
        params = paramsFromNamedArrays(ref.weights, config, { source: ref.name, strict: true });
      });
      afterAll(() => disposeParams(params));

      it('uses exactly the checkpoint tensor names and shapes', () => {
        const ours = paramSpecs(config).map((s) => `${s.name} [${s.torchShape}]`);
        const theirs = ref.weights.map((w) => `${w.name} [${w.shape}]`);
        expect([...ours].sort()).toEqual([...theirs].sort());
      });

      it('gives every hidden state and the logits within 1e-4', async () => {
        const { shape, data } = ref.inputs.pixel_values;
        const pixels = tf.tensor4d(data, shape as [number, number, number, number]);
        const capture = tf.tidy(() => forward(params, config, { kind: 'image', pixels }));
        await expectCaptureMatches(capture, ref);
        tf.dispose([pixels, capture]);
      });
    },
  );

  describe('BertForSequenceClassification (post-LN, embedding LayerNorm, pooler, padding)', () => {
    const ref = reference.bert;
    const hf = ref.config as Record<string, number>;
    // Strata's text model in BERT's shape; token-type row 0 is folded into the positions.
    const config: TextConfig = {
      architecture: 'text',
      vocabSize: hf.vocab_size,
      maxLength: hf.max_position_embeddings,
      padTokenId: hf.pad_token_id,
      classToken: false,
      hiddenSize: hf.hidden_size,
      numLayers: hf.num_hidden_layers,
      numHeads: hf.num_attention_heads,
      mlpSize: hf.intermediate_size,
      numClasses: 3,
      labels: ['LABEL_0', 'LABEL_1', 'LABEL_2'],
      layerNormEps: hf.layer_norm_eps,
      activation: 'gelu',
      norm: 'post',
      qkvBias: true,
      embeddingNorm: true,
      finalNorm: false,
      pooler: true,
      heads: 'shared',
      pooling: 'cls',
    };

    it('gives every hidden state (padded positions included) and the logits within 1e-4', async () => {
      const params = paramsFromNamedArrays(ref.weights, config, { source: ref.name, strict: true });
      const { input_ids: ids, attention_mask: mask } = ref.inputs;
      const inputIds = tf.tensor2d(ids.data, ids.shape as [number, number], 'int32');
      const inputMask = tf.tensor2d(mask.data, mask.shape as [number, number], 'float32');
      const capture = tf.tidy(() =>
        forward(params, config, { kind: 'text', ids: inputIds, mask: inputMask }),
      );
      await expectCaptureMatches(capture, ref);
      tf.dispose([inputIds, inputMask, capture]);
      disposeParams(params);
    });
  });
});
