import {
  positionTableSize,
  validateConfig,
  type Activation,
  type ModelConfig,
  type TextConfig,
} from './config';

/** Hugging Face `hidden_act` names for each activation (the first is what Strata writes). */
const HF_ACTIVATIONS: Record<Activation, string[]> = {
  gelu: ['gelu'],
  gelu_tanh: ['gelu_pytorch_tanh', 'gelu_new'],
  relu: ['relu'],
};

/**
 * A Hugging Face-style config.json for `config`. A ViT is a `ViTForImageClassification`
 * config; the text encoder uses `model_type: 'strata-text'`. Fields Hugging Face lacks go into a
 * `strata` object.
 */
export function configToJson(config: ModelConfig): Record<string, unknown> {
  const id2label = Object.fromEntries(config.labels.map((l, i) => [String(i), l]));
  const label2id = Object.fromEntries(config.labels.map((l, i) => [l, i]));
  const common = {
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numLayers,
    num_attention_heads: config.numHeads,
    intermediate_size: config.mlpSize,
    hidden_act: HF_ACTIVATIONS[config.activation][0],
    layer_norm_eps: config.layerNormEps,
    qkv_bias: config.qkvBias,
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
    initializer_range: 0.02,
    id2label,
    label2id,
  };
  const strata = {
    norm: config.norm,
    embedding_norm: config.embeddingNorm,
    final_norm: config.finalNorm,
    pooler: config.pooler,
    heads: config.heads,
    pooling: config.pooling,
    // Written only when set, so older Strata checkpoints keep reading the same.
    ...(config.poolerActivation === 'relu' ? { pooler_activation: 'relu' } : {}),
  };
  if (config.architecture === 'vit') {
    return {
      model_type: 'vit',
      architectures: ['ViTForImageClassification'],
      ...common,
      image_size: config.imageSize,
      patch_size: config.patchSize,
      num_channels: config.numChannels,
      encoder_stride: config.patchSize,
      strata: config.distillationToken ? { ...strata, distillation_token: true } : strata,
    };
  }
  return {
    model_type: 'strata-text',
    architectures: ['StrataTextForSequenceClassification'],
    ...common,
    vocab_size: config.vocabSize,
    max_position_embeddings: positionTableSize(config),
    pad_token_id: config.padTokenId,
    strata: {
      ...strata,
      max_length: config.maxLength,
      class_token: config.classToken,
      ...(config.positionsAfterPadding ? { positions_after_padding: true } : {}),
    },
  };
}

/** Reads typed fields of a parsed JSON object, naming the file and field in every error. */
function fieldReader(obj: Record<string, unknown>, fileName: string) {
  const fail = (field: string, expected: string): never => {
    throw new Error(
      `${fileName}: field "${field}" is ${JSON.stringify(obj[field])}, expected ${expected}`,
    );
  };
  return {
    integer(field: string): number {
      const v = obj[field];
      return typeof v === 'number' && Number.isInteger(v) && v >= 0
        ? v
        : fail(field, 'a non-negative integer');
    },
    number(field: string, fallback?: number): number {
      const v = obj[field] ?? fallback;
      return typeof v === 'number' && Number.isFinite(v) ? v : fail(field, 'a number');
    },
    boolean(field: string, fallback: boolean): boolean {
      const v = obj[field] ?? fallback;
      return typeof v === 'boolean' ? v : fail(field, 'true or false');
    },
    oneOf<T extends string>(field: string, allowed: readonly T[], fallback: T): T {
      const v = obj[field] ?? fallback;
      return (allowed as readonly unknown[]).includes(v)
        ? (v as T)
        : fail(field, `one of ${allowed.join(', ')}`);
    },
  };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function readLabels(json: Record<string, unknown>, fileName: string): string[] {
  const id2label = json.id2label;
  if (!isObject(id2label))
    throw new Error(`${fileName}: field "id2label" is missing, expected {"0": name, …}`);
  const count = Object.keys(id2label).length;
  return Array.from({ length: count }, (_, i) => {
    const label = id2label[String(i)];
    if (typeof label !== 'string') {
      throw new Error(
        `${fileName}: id2label has no name for class ${i}, expected ids 0..${count - 1}`,
      );
    }
    return label;
  });
}

function readActivation(value: unknown, fileName: string): Activation {
  for (const [activation, names] of Object.entries(HF_ACTIVATIONS)) {
    if (typeof value === 'string' && names.includes(value)) return activation as Activation;
  }
  const known = Object.values(HF_ACTIVATIONS).flat().join(', ');
  throw new Error(
    `${fileName}: field "hidden_act" is ${JSON.stringify(value)}, expected one of ${known}`,
  );
}

/**
 * Parses a config.json (text or already parsed): Strata's own, or a plain Hugging Face ViT config
 * (fields Hugging Face lacks take ViT's behaviour: pre-LN, final LayerNorm, class-token pooling).
 * Throws an Error naming `fileName` and the field on anything missing or malformed.
 */
export function configFromJson(json: unknown, fileName: string): ModelConfig {
  let obj = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new Error(
        `${fileName}: not valid JSON (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  }
  if (!isObject(obj)) throw new Error(`${fileName}: expected a JSON object`);
  const strataObj = obj.strata ?? {};
  if (!isObject(strataObj)) throw new Error(`${fileName}: field "strata" must be an object`);
  const f = fieldReader(obj, fileName);
  const s = fieldReader(strataObj, `${fileName} (strata)`);
  const modelType = obj.model_type;
  if (modelType !== 'vit' && modelType !== 'strata-text') {
    throw new Error(
      `${fileName}: model_type ${JSON.stringify(modelType)} is not supported, expected "vit" or "strata-text"`,
    );
  }
  const labels = readLabels(obj, fileName);
  const base = {
    hiddenSize: f.integer('hidden_size'),
    numLayers: f.integer('num_hidden_layers'),
    numHeads: f.integer('num_attention_heads'),
    mlpSize: f.integer('intermediate_size'),
    numClasses: labels.length,
    labels,
    layerNormEps: f.number('layer_norm_eps', 1e-12),
    activation: readActivation(obj.hidden_act ?? 'gelu', fileName),
    qkvBias: f.boolean('qkv_bias', true),
    norm: s.oneOf('norm', ['pre', 'post'] as const, 'pre'),
    embeddingNorm: s.boolean('embedding_norm', false),
    finalNorm: s.boolean('final_norm', true),
    pooler: s.boolean('pooler', false),
    heads: s.oneOf('heads', ['shared', 'per-layer'] as const, 'shared'),
    pooling: s.oneOf('pooling', ['cls', 'mean'] as const, 'cls'),
  };
  let config: ModelConfig;
  if (modelType === 'vit') {
    config = {
      architecture: 'vit',
      ...base,
      imageSize: f.integer('image_size'),
      patchSize: f.integer('patch_size'),
      numChannels: f.integer('num_channels'),
    };
    if (s.boolean('distillation_token', false)) config.distillationToken = true;
  } else {
    const classToken = s.boolean('class_token', true);
    const text: TextConfig = {
      architecture: 'text',
      ...base,
      vocabSize: f.integer('vocab_size'),
      padTokenId: f.integer('pad_token_id'),
      classToken,
      maxLength:
        strataObj.max_length !== undefined
          ? s.integer('max_length')
          : f.integer('max_position_embeddings') - (classToken ? 1 : 0),
    };
    if (s.boolean('positions_after_padding', false)) text.positionsAfterPadding = true;
    config = text;
  }
  if (strataObj.pooler_activation !== undefined)
    config.poolerActivation = s.oneOf('pooler_activation', ['tanh', 'relu'] as const, 'tanh');
  validateConfig(config, fileName);
  return config;
}
