import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { NamedArray } from '../io/dtypes';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { disposeParams } from '../model/params';
import { checkpointFiles } from './fixtures/cases';
import { importHuggingFace } from './huggingface';
import { loadModelFiles } from './loadModelFiles';

// Malformed checkpoints: each error names the file and the key or tensor, and allocates nothing.

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function configOf(name: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(checkpointFiles(name).config)) as Record<
    string,
    unknown
  >;
}

function withConfig(name: string, change: Record<string, unknown>) {
  return { ...checkpointFiles(name), config: json({ ...configOf(name), ...change }) };
}

function withTensors(name: string, change: (tensors: NamedArray[]) => NamedArray[]) {
  const files = checkpointFiles(name);
  const { tensors } = readSafetensors(files.weights, name);
  return { ...files, weights: writeSafetensors(change(tensors)) };
}

/** The import throws a message matching `pattern`, and leaves no tensor allocated. */
function expectImportError(files: Parameters<typeof importHuggingFace>[0], pattern: RegExp) {
  const before = tf.memory().numTensors;
  expect(() => importHuggingFace(files)).toThrow(pattern);
  expect(tf.memory().numTensors).toBe(before);
}

/** Each (fixture, key): the fixture's config.json without the key is refused, naming the key. */
function expectMissingKeysNamed(cases: readonly (readonly [string, string])[]): void {
  for (const [name, key] of cases) {
    const config = configOf(name);
    delete config[key];
    expectImportError(
      { ...checkpointFiles(name), config: json(config) },
      new RegExp(`^${name}/config\\.json: no key "${key}", expected a positive integer`),
    );
  }
}

describe('importHuggingFace errors', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('a truncated safetensors file', () => {
    const files = checkpointFiles('vit-a');
    expectImportError(
      { ...files, weights: files.weights.subarray(0, files.weights.length - 100) },
      /^vit-a\/model\.safetensors: .*data_offsets .* lie outside the data section/,
    );
    expectImportError(
      { ...files, weights: files.weights.subarray(0, 5) },
      /^vit-a\/model\.safetensors: 5 bytes, too short/,
    );
  });

  it('a config.json that is not JSON', () => {
    expectImportError(
      { ...checkpointFiles('vit-a'), config: new TextEncoder().encode('{"architectures": [') },
      /^vit-a\/config\.json: not valid UTF-8 JSON/,
    );
  });

  it('an unknown architecture, and the teacher variant of DeiT', () => {
    expectImportError(
      withConfig('vit-a', { architectures: ['GPT2ForSequenceClassification'], model_type: 'gpt2' }),
      /^vit-a\/config\.json: architecture "GPT2ForSequenceClassification" is not supported; expected one of ViTForImageClassification, DeiTForImageClassification, BertForSequenceClassification/,
    );
    expectImportError(
      withConfig('deit-a', { architectures: ['DeiTForImageClassificationWithTeacher'] }),
      /architecture "DeiTForImageClassificationWithTeacher" is not supported \(its logits average two heads/,
    );
    expectImportError(
      withConfig('vit-a', { model_type: 'deit' }),
      /model_type "deit" does not match architecture ViTForImageClassification, expected "vit"/,
    );
  });

  it('infers the classifier from model_type when "architectures" is absent', () => {
    const model = importHuggingFace(withConfig('deit-b', { architectures: undefined }));
    expect(model.architecture).toBe('DeiTForImageClassification');
    disposeParams(model.params);
  });

  it('unsupported options name the key and its value', () => {
    expectImportError(
      withConfig('vit-a', { hidden_act: 'silu' }),
      /^vit-a\/config\.json: key "hidden_act" is "silu", which Strata does not support: expected one of gelu, gelu_python, gelu_new, gelu_pytorch_tanh, gelu_fast, gelu_accurate, relu/,
    );
    expectImportError(
      withConfig('bert-a', { position_embedding_type: 'relative_key' }),
      /key "position_embedding_type" is "relative_key", which Strata does not support/,
    );
    expectImportError(
      withConfig('bert-a', { is_decoder: true }),
      /key "is_decoder" is true, which Strata does not support/,
    );
    expectImportError(
      withConfig('vit-a', { image_size: [8, 12] }),
      /key "image_size" is \[8,12\], which Strata does not support: only square images/,
    );
    expectImportError(
      withConfig('vit-a', { patch_size: 3 }),
      /key "patch_size" is 3, which Strata does not support: image_size 8 must be a multiple of it/,
    );
    expectImportError(
      withConfig('vit-a', { num_attention_heads: 3 }),
      /key "num_attention_heads" is 3, .*hidden_size 16 is not a multiple of it/,
    );
    expectImportError(
      withConfig('vit-a', { qkv_bias: 'yes' }),
      /key "qkv_bias" is "yes", expected true or false/,
    );
    expectImportError(
      withConfig('bert-a', { pad_token_id: 40 }),
      /key "pad_token_id" is 40, expected an id below vocab_size = 40/,
    );
  });

  it('a config that disagrees with the weights names the tensor and both shapes', () => {
    expectImportError(
      withConfig('vit-a', { hidden_size: 32, num_attention_heads: 2 }),
      /^vit-a\/model\.safetensors: tensor vit\.embeddings\.patch_embeddings\.projection\.weight has shape \[16, 3, 4, 4\], expected \[32, 3, 4, 4\]/,
    );
    expectImportError(
      withConfig('vit-a', { id2label: { 0: 'only', 1: 'two' } }),
      /tensor classifier\.weight has shape \[3, 16\], expected \[2, 16\]/,
    );
  });

  it('a config.json without a size key names the key, not a weight shape', () => {
    expectMissingKeysNamed([
      ['vit-a', 'hidden_size'],
      ['vit-a', 'num_hidden_layers'],
      ['vit-a', 'intermediate_size'],
      ['bert-a', 'hidden_size'],
      ['bert-a', 'num_hidden_layers'],
    ]);
  });

  it('a text config.json without a key that fixes a shape names the key', () => {
    expectMissingKeysNamed([
      ['bert-a', 'vocab_size'],
      ['bert-a', 'max_position_embeddings'],
      ['bert-a', 'type_vocab_size'],
      ['roberta-a', 'vocab_size'],
      ['roberta-a', 'max_position_embeddings'],
      ['xlmr-a', 'type_vocab_size'],
      ['distilbert-a', 'vocab_size'],
      ['distilbert-a', 'dim'],
      ['distilbert-a', 'n_layers'],
      ['distilbert-a', 'hidden_dim'],
    ]);
  });

  it('inconsistent text keys name the key, the value and what was expected', () => {
    expectImportError(
      withConfig('roberta-a', { num_attention_heads: 5 }),
      /^roberta-a\/config\.json: key "num_attention_heads" is 5, .*hidden_size 32 is not a multiple of it/,
    );
    expectImportError(
      withConfig('distilbert-a', { n_heads: 5 }),
      /^distilbert-a\/config\.json: key "n_heads" is 5, .*dim 32 is not a multiple of it/,
    );
    expectImportError(
      withConfig('roberta-a', { pad_token_id: 50 }),
      /^roberta-a\/config\.json: key "pad_token_id" is 50, expected an id below vocab_size = 50/,
    );
    expectImportError(
      withConfig('distilbert-a', { pad_token_id: 40 }),
      /key "pad_token_id" is 40, expected an id below vocab_size = 40/,
    );
    expectImportError(
      withConfig('roberta-a', { pad_token_id: null }),
      /key "pad_token_id" is null, expected an id: RoBERTa counts positions after the padding id/,
    );
    expectImportError(
      withConfig('xlmr-a', { max_position_embeddings: 4 }),
      /^xlmr-a\/config\.json: key "max_position_embeddings" is 4, expected at least pad_token_id \+ 2 = 5/,
    );
    expectImportError(
      withConfig('distilbert-a', { hidden_size: 64 }),
      /^distilbert-a\/config\.json: key "hidden_size" is 64 but "dim" is 32; DistilBERT reads "dim"/,
    );
    expectImportError(
      withConfig('distilbert-a', { sinusoidal_pos_embds: 'yes' }),
      /key "sinusoidal_pos_embds" is "yes", expected true or false/,
    );
    expectImportError(
      withConfig('xlmr-a', { model_type: 'roberta' }),
      /model_type "roberta" does not match architecture XLMRobertaForSequenceClassification, expected "xlm-roberta"/,
    );
    expectImportError(
      withConfig('roberta-a', { architectures: undefined, model_type: 'camembert' }),
      /^roberta-a\/config\.json: no "architectures" key and model_type "camembert"; expected one of .*RobertaForSequenceClassification/,
    );
    expectImportError(
      withConfig('distilbert-a', { activation: 'silu' }),
      /key "activation" is "silu", which Strata does not support/,
    );
  });

  it('infers RoBERTa, XLM-R and DistilBERT from model_type without "architectures"', () => {
    for (const [name, architecture] of [
      ['roberta-a', 'RobertaForSequenceClassification'],
      ['xlmr-a', 'XLMRobertaForSequenceClassification'],
      ['distilbert-b', 'DistilBertForSequenceClassification'],
    ] as const) {
      const model = importHuggingFace(withConfig(name, { architectures: undefined }));
      expect(model.architecture).toBe(architecture);
      disposeParams(model.params);
    }
  });

  it('a missing tensor is named by its hub name, with the expected shape', () => {
    expectImportError(
      withTensors('deit-a', (ts) =>
        ts.filter((t) => t.name !== 'deit.embeddings.distillation_token'),
      ),
      /^deit-a\/model\.safetensors: tensor deit\.embeddings\.distillation_token is missing, expected shape \[1, 1, 16\]/,
    );
    expectImportError(
      withTensors('bert-a', (ts) =>
        ts.filter((t) => t.name !== 'bert.embeddings.token_type_embeddings.weight'),
      ),
      /tensor bert\.embeddings\.token_type_embeddings\.weight is missing, expected shape \[2, 16\]/,
    );
    expectImportError(
      withTensors('roberta-a', (ts) => ts.filter((t) => !t.name.startsWith('classifier.out_proj'))),
      /^roberta-a\/model\.safetensors: tensor classifier\.out_proj\.weight is missing, expected shape \[2, 32\]/,
    );
    expectImportError(
      withTensors('distilbert-a', (ts) => ts.filter((t) => !t.name.includes('layer.1.ffn.lin1'))),
      /tensor distilbert\.transformer\.layer\.1\.ffn\.lin1\.weight is missing, expected shape \[64, 32\]/,
    );
    expectImportError(
      withTensors('bert-b', (ts) => ts.filter((t) => !t.name.startsWith('bert.encoder.layer.2.'))),
      /tensor bert\.encoder\.layer\.2\.attention\.output\.LayerNorm\.weight is missing, expected shape \[24\]/,
    );
  });

  it('a non-float or non-finite weight', () => {
    expectImportError(
      withTensors('vit-b', (ts) =>
        ts.map((t) =>
          t.name === 'classifier.bias'
            ? { name: t.name, dtype: 'int32', shape: t.shape, data: new Int32Array(t.data.length) }
            : t,
        ),
      ),
      /tensor classifier\.bias has dtype int32, expected a floating-point type/,
    );
    expectImportError(
      withTensors('vit-b', (ts) =>
        ts.map((t) => {
          if (t.name !== 'vit.layernorm.weight') return t;
          const data = Float32Array.from(t.data);
          data[4] = NaN;
          return { name: t.name, dtype: 'float32', shape: t.shape, data };
        }),
      ),
      /tensor vit\.layernorm\.weight has a non-finite value \(NaN\) at flat index 4/,
    );
  });

  it('a Strata checkpoint is refused as an import, and loadModelFiles tells the two apart', () => {
    const strataConfig = { ...configOf('vit-a'), strata: { norm: 'pre' } };
    expectImportError(
      { ...checkpointFiles('vit-a'), config: json(strataConfig) },
      /this is a Strata checkpoint/,
    );
    const asStrata = loadModelFiles({ ...checkpointFiles('vit-a'), config: json(strataConfig) });
    expect(asStrata.format).toBe('strata');
    const asHf = loadModelFiles(checkpointFiles('bert-a'));
    expect(asHf.format).toBe('BertForSequenceClassification');
    disposeParams(asStrata.params);
    disposeParams(asHf.params);
  });

  it('lists tensors the classifier does not use', () => {
    const model = importHuggingFace(
      withTensors('vit-a', (ts) => [
        ...ts,
        {
          name: 'vit.pooler.dense.bias',
          dtype: 'float32',
          shape: [16],
          data: new Float32Array(16),
        },
      ]),
    );
    expect(model.unusedTensors).toEqual(['vit.pooler.dense.bias']);
    disposeParams(model.params);
  });
});
