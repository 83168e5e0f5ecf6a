import { describe, expect, it } from 'vitest';
import {
  headSize,
  numPositions,
  positionTableSize,
  PRESETS,
  validateConfig,
  type ModelConfig,
} from './config';
import { configFromJson, configToJson } from './configJson';
import { loadReference } from './fixtures/reference';

describe('model config', () => {
  it('has valid presets: vit-mnist reads 16 patches + class token = 17 tokens', () => {
    for (const [name, config] of Object.entries(PRESETS)) validateConfig(config, name);
    expect(numPositions(PRESETS['vit-mnist'])).toBe(17);
    expect(headSize(PRESETS['vit-mnist'])).toBe(16);
    expect(numPositions(PRESETS['text-imdb'])).toBe(129);
    expect(Object.isFrozen(PRESETS['vit-mnist'].labels)).toBe(true);
  });

  it('lists every problem of an invalid config, with the place', () => {
    const bad = {
      ...PRESETS['vit-mnist'],
      hiddenSize: 30,
      numHeads: 4,
      patchSize: 5,
      labels: ['a'],
    };
    expect(() => validateConfig(bad, 'config.json')).toThrow(
      'config.json: invalid model config: hiddenSize 30 is not divisible by numHeads 4 (each head needs an equal integer width); ' +
        'labels has 1 names, expected numClasses = 10; imageSize 28 is not divisible by patchSize 5',
    );
    const text = {
      ...PRESETS['text-imdb'],
      padTokenId: 9000,
      activation: 'swish',
    } as unknown as ModelConfig;
    expect(() => validateConfig(text, 'URL')).toThrow(
      /activation is "swish", expected one of gelu, gelu_tanh, relu; padTokenId is 9000, expected an integer in \[0, 8000\)/,
    );
    expect(() => validateConfig({ ...PRESETS['text-imdb'], numLayers: 0 }, 'x')).toThrow(
      'numLayers is 0, expected a positive integer',
    );
    expect(() =>
      validateConfig({ ...PRESETS['text-imdb'], positionsAfterPadding: true }, 'x'),
    ).toThrow('positionsAfterPadding needs classToken false');
    const relu = { ...PRESETS['text-imdb'], poolerActivation: 'gelu' } as unknown as ModelConfig;
    expect(() => validateConfig(relu, 'x')).toThrow(
      'poolerActivation is "gelu", expected one of tanh, relu',
    );
  });

  it('sizes the position table after the padding id for RoBERTa positions', () => {
    const roberta = {
      ...PRESETS['text-imdb'],
      classToken: false,
      padTokenId: 1,
      positionsAfterPadding: true,
    };
    expect(numPositions(roberta)).toBe(128);
    expect(positionTableSize(roberta)).toBe(130);
    expect(positionTableSize(PRESETS['text-imdb'])).toBe(129);
    expect(configToJson(roberta)).toMatchObject({ max_position_embeddings: 130 });
  });

  it('round-trips every preset and variant through config.json', () => {
    const variants: ModelConfig[] = [
      PRESETS['vit-mnist'],
      {
        ...PRESETS['vit-mnist'],
        heads: 'per-layer',
        pooling: 'mean',
        activation: 'gelu_tanh',
        qkvBias: false,
      },
      PRESETS['text-imdb'],
      {
        ...PRESETS['text-imdb'],
        norm: 'post',
        embeddingNorm: true,
        finalNorm: false,
        pooler: true,
        classToken: false,
        activation: 'relu',
      },
      { ...PRESETS['text-imdb'], classToken: false, padTokenId: 1, positionsAfterPadding: true },
      { ...PRESETS['text-imdb'], pooler: true, poolerActivation: 'relu' },
    ];
    for (const config of variants) {
      const json = JSON.stringify(configToJson(config));
      expect(configFromJson(json, 'config.json')).toEqual(config);
    }
  });

  it('writes a ViTForImageClassification config.json', () => {
    const json = configToJson(PRESETS['vit-mnist']);
    expect(json).toMatchObject({
      model_type: 'vit',
      architectures: ['ViTForImageClassification'],
      hidden_size: 64,
      num_hidden_layers: 6,
      num_attention_heads: 4,
      intermediate_size: 128,
      hidden_act: 'gelu',
      qkv_bias: true,
      image_size: 28,
      patch_size: 7,
      num_channels: 1,
      id2label: { '0': '0', '9': '9' },
      label2id: { '3': 3 },
      strata: { heads: 'shared', pooling: 'cls', final_norm: true },
    });
    expect(configToJson(PRESETS['text-imdb'])).toMatchObject({
      model_type: 'strata-text',
      max_position_embeddings: 129,
    });
  });

  it('reads a config.json written by transformers save_pretrained with ViT defaults', () => {
    const ref = loadReference().vit[1];
    const config = configFromJson(ref.config, 'config.json');
    expect(config).toEqual({
      architecture: 'vit',
      hiddenSize: 24,
      numLayers: 3,
      numHeads: 3,
      mlpSize: 24,
      numClasses: 4,
      labels: ['LABEL_0', 'LABEL_1', 'LABEL_2', 'LABEL_3'],
      layerNormEps: 1e-12,
      activation: 'gelu',
      qkvBias: false,
      norm: 'pre',
      embeddingNorm: false,
      finalNorm: true,
      pooler: false,
      heads: 'shared',
      pooling: 'cls',
      imageSize: 14,
      patchSize: 7,
      numChannels: 1,
    });
    expect(configFromJson({ ...ref.config, hidden_act: 'gelu_new' }, 'c').activation).toBe(
      'gelu_tanh',
    );
  });

  it('names the file and the field when config.json is wrong', () => {
    const ok = configToJson(PRESETS['vit-mnist']);
    expect(() => configFromJson('{oops', 'm/config.json')).toThrow(
      /^m\/config.json: not valid JSON/,
    );
    expect(() => configFromJson({ ...ok, model_type: 'bert' }, 'c.json')).toThrow(
      'c.json: model_type "bert" is not supported, expected "vit" or "strata-text"',
    );
    expect(() => configFromJson({ ...ok, hidden_size: '64' }, 'c.json')).toThrow(
      'c.json: field "hidden_size" is "64", expected a non-negative integer',
    );
    expect(() => configFromJson({ ...ok, hidden_act: 'silu' }, 'c.json')).toThrow(
      /field "hidden_act" is "silu", expected one of gelu/,
    );
    expect(() => configFromJson({ ...ok, id2label: { '0': 'a', '2': 'c' } }, 'c.json')).toThrow(
      'id2label has no name for class 1',
    );
    expect(() => configFromJson({ ...ok, strata: { heads: 'many' } }, 'c.json')).toThrow(
      'c.json (strata): field "heads" is "many", expected one of shared, per-layer',
    );
  });
});
