// A Hugging Face config.json of a supported classifier, read into Strata's model config.
import { validateConfig, type Activation, type ModelConfig } from '../model/config';

/** The Hugging Face classes Strata imports, with the weight-name prefix of their backbone. */
export const HF_ARCHITECTURES = {
  ViTForImageClassification: 'vit',
  DeiTForImageClassification: 'deit',
  BertForSequenceClassification: 'bert',
} as const;

export type HfArchitecture = keyof typeof HF_ARCHITECTURES;

/** `model_type` each architecture is saved with. */
const MODEL_TYPES: Record<HfArchitecture, string> = {
  ViTForImageClassification: 'vit',
  DeiTForImageClassification: 'deit',
  BertForSequenceClassification: 'bert',
};

/** Classes that look close but that Strata cannot express, with the reason given to the user. */
const UNSUPPORTED_REASONS: Record<string, string> = {
  DeiTForImageClassificationWithTeacher:
    'its logits average two heads (class token and distillation token), while Strata has one classifier on the class token; save the model as DeiTForImageClassification to use the class-token head alone',
};

/**
 * Hugging Face `hidden_act` values and Strata's activation for each (transformers' ACT2FN:
 * gelu_python is the erf form; gelu_fast and gelu_accurate equal gelu_new within 3e-7).
 */
const ACTIVATIONS: Record<string, Activation> = {
  gelu: 'gelu',
  gelu_python: 'gelu',
  gelu_new: 'gelu_tanh',
  gelu_pytorch_tanh: 'gelu_tanh',
  gelu_fast: 'gelu_tanh',
  gelu_accurate: 'gelu_tanh',
  relu: 'relu',
};

/**
 * transformers' defaults (ViTConfig, DeiTConfig, BertConfig) for the keys Strata reads, used when
 * a config.json leaves a key out, as `from_pretrained` does.
 */
const VISION_DEFAULTS = {
  num_attention_heads: 12,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-12,
  image_size: 224,
  patch_size: 16,
  num_channels: 3,
  qkv_bias: true,
};
const BERT_DEFAULTS = {
  vocab_size: 30522,
  num_attention_heads: 12,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-12,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  pad_token_id: 0,
};

/** What a config.json says: Strata's config, the Hugging Face class and its details. */
export interface HfModelSpec {
  architecture: HfArchitecture;
  /** Prefix of the backbone's weight names in the checkpoint (`vit`, `deit`, `bert`). */
  prefix: (typeof HF_ARCHITECTURES)[HfArchitecture];
  config: ModelConfig;
  /** BERT only: rows of `token_type_embeddings` (row 0 is folded into the positions). */
  typeVocabSize?: number;
  /** What the mapping does that a user may want to know. */
  notes: string[];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads typed keys with defaults, naming the file and key in every error. */
function keyReader(obj: Record<string, unknown>, defaults: Record<string, unknown>, file: string) {
  const value = (key: string) => (obj[key] ?? defaults[key]) as unknown;
  const fail = (key: string, expected: string): never => {
    throw new Error(`${file}: key "${key}" is ${JSON.stringify(value(key))}, expected ${expected}`);
  };
  return {
    value,
    /**
     * A key that fixes weight shapes: a default would only surface later as a wrong tensor shape,
     * so a config without it is refused here, naming the key.
     */
    required(key: string, what: string): number {
      if (obj[key] === undefined || obj[key] === null) {
        throw new Error(
          `${file}: no key "${key}", expected a positive integer (${what}); transformers writes it in every saved config.json`,
        );
      }
      return this.positive(key);
    },
    positive(key: string): number {
      const v = value(key);
      return Number.isInteger(v) && (v as number) > 0
        ? (v as number)
        : fail(key, 'a positive integer');
    },
    nonNegative(key: string): number {
      const v = value(key);
      return Number.isInteger(v) && (v as number) >= 0
        ? (v as number)
        : fail(key, 'a non-negative integer');
    },
    positiveNumber(key: string): number {
      const v = value(key);
      return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fail(key, 'a number > 0');
    },
    boolean(key: string): boolean {
      const v = value(key);
      return typeof v === 'boolean' ? v : fail(key, 'true or false');
    },
    unsupported(key: string, detail: string): never {
      throw new Error(
        `${file}: key "${key}" is ${JSON.stringify(value(key))}, which Strata does not support: ${detail}`,
      );
    },
  };
}

type KeyReader = ReturnType<typeof keyReader>;

function readArchitecture(json: Record<string, unknown>, file: string): HfArchitecture {
  const supported = Object.keys(HF_ARCHITECTURES);
  const { architectures, model_type: modelType } = json;
  let name: unknown;
  if (architectures === undefined || architectures === null) {
    // Older configs may omit it: the model type then names the classifier.
    name = Object.keys(MODEL_TYPES).find((a) => MODEL_TYPES[a as HfArchitecture] === modelType);
    if (name === undefined) {
      throw new Error(
        `${file}: no "architectures" key and model_type ${JSON.stringify(modelType)}; expected one of ${supported.join(', ')}`,
      );
    }
  } else {
    if (!Array.isArray(architectures) || architectures.length !== 1) {
      throw new Error(
        `${file}: key "architectures" is ${JSON.stringify(architectures)}, expected a list of one class name`,
      );
    }
    name = architectures[0];
  }
  if (typeof name !== 'string' || !Object.hasOwn(HF_ARCHITECTURES, name)) {
    const reason = typeof name === 'string' ? UNSUPPORTED_REASONS[name] : undefined;
    throw new Error(
      `${file}: architecture ${JSON.stringify(name)} is not supported` +
        (reason ? ` (${reason})` : '') +
        `; expected one of ${supported.join(', ')}`,
    );
  }
  const architecture = name as HfArchitecture;
  if (modelType !== undefined && modelType !== MODEL_TYPES[architecture]) {
    throw new Error(
      `${file}: model_type ${JSON.stringify(modelType)} does not match architecture ${architecture}, expected "${MODEL_TYPES[architecture]}"`,
    );
  }
  return architecture;
}

function readActivation(keys: KeyReader): Activation {
  const act = keys.value('hidden_act');
  if (typeof act === 'string' && Object.hasOwn(ACTIVATIONS, act)) return ACTIVATIONS[act];
  return keys.unsupported('hidden_act', `expected one of ${Object.keys(ACTIVATIONS).join(', ')}`);
}

/** Class names from `id2label` (keys "0".."C−1"), else `num_labels` names LABEL_i (default 2). */
function readLabels(json: Record<string, unknown>, file: string): string[] {
  const { id2label, num_labels: numLabels } = json;
  if (id2label === undefined || id2label === null) {
    const n = numLabels ?? 2;
    if (!Number.isInteger(n) || (n as number) < 1) {
      throw new Error(`${file}: key "num_labels" is ${JSON.stringify(n)}, expected an integer ≥ 1`);
    }
    return Array.from({ length: n as number }, (_, i) => `LABEL_${i}`);
  }
  if (!isObject(id2label) || Object.keys(id2label).length === 0) {
    throw new Error(`${file}: key "id2label" must be an object {"0": name, …} with ≥ 1 class`);
  }
  const count = Object.keys(id2label).length;
  return Array.from({ length: count }, (_, i) => {
    const label = id2label[String(i)];
    if (typeof label !== 'string') {
      throw new Error(
        `${file}: id2label has no name for class ${i}, expected string names for ids 0..${count - 1}`,
      );
    }
    return label;
  });
}

/** `image_size` as an integer, or a [h, w] list of two equal integers (Strata's ViT is square). */
function readImageSize(keys: KeyReader): number {
  const size = keys.value('image_size');
  if (Array.isArray(size) && size.length === 2 && size[0] === size[1]) {
    if (Number.isInteger(size[0]) && size[0] > 0) return size[0] as number;
  }
  if (Array.isArray(size)) return keys.unsupported('image_size', 'only square images are read');
  return keys.positive('image_size');
}

function readBase(keys: KeyReader, labels: string[]) {
  const hiddenSize = keys.required('hidden_size', 'the width of every hidden state');
  const numHeads = keys.positive('num_attention_heads');
  if (hiddenSize % numHeads !== 0) {
    keys.unsupported('num_attention_heads', `hidden_size ${hiddenSize} is not a multiple of it`);
  }
  return {
    hiddenSize,
    numLayers: keys.required('num_hidden_layers', 'the number of blocks'),
    numHeads,
    mlpSize: keys.required('intermediate_size', 'the width of the MLP'),
    numClasses: labels.length,
    labels,
    layerNormEps: keys.positiveNumber('layer_norm_eps'),
    activation: readActivation(keys),
    heads: 'shared' as const,
    pooling: 'cls' as const,
  };
}

function visionSpec(json: Record<string, unknown>, architecture: HfArchitecture, file: string) {
  const keys = keyReader(json, VISION_DEFAULTS, file);
  const deit = architecture === 'DeiTForImageClassification';
  const config: ModelConfig = {
    architecture: 'vit',
    ...readBase(keys, readLabels(json, file)),
    norm: 'pre',
    qkvBias: keys.boolean('qkv_bias'),
    embeddingNorm: false,
    finalNorm: true,
    pooler: false,
    imageSize: readImageSize(keys),
    patchSize: keys.positive('patch_size'),
    numChannels: keys.positive('num_channels'),
  };
  if (config.imageSize % config.patchSize !== 0) {
    keys.unsupported(
      'patch_size',
      `image_size ${config.imageSize} must be a multiple of it (patches must tile the image)`,
    );
  }
  if (deit) config.distillationToken = true;
  const notes = deit
    ? [
        'the distillation token (index 1) is part of every hidden state; the head reads the class token',
      ]
    : [];
  return { config, notes };
}

function bertSpec(json: Record<string, unknown>, file: string) {
  const keys = keyReader(json, BERT_DEFAULTS, file);
  const positionType = json.position_embedding_type;
  if (positionType !== undefined && positionType !== null && positionType !== 'absolute') {
    keys.unsupported('position_embedding_type', 'expected "absolute" (learned positions)');
  }
  if (json.is_decoder === true) {
    keys.unsupported('is_decoder', 'a decoder attends causally; Strata reads encoders');
  }
  const typeVocabSize = keys.positive('type_vocab_size');
  const vocabSize = keys.positive('vocab_size');
  const pad = json.pad_token_id === null ? 0 : keys.nonNegative('pad_token_id');
  if (pad >= vocabSize) {
    throw new Error(
      `${file}: key "pad_token_id" is ${pad}, expected an id below vocab_size = ${vocabSize}`,
    );
  }
  const config: ModelConfig = {
    architecture: 'text',
    ...readBase(keys, readLabels(json, file)),
    norm: 'post',
    qkvBias: true,
    embeddingNorm: true,
    finalNorm: false,
    pooler: true,
    vocabSize,
    maxLength: keys.positive('max_position_embeddings'),
    padTokenId: pad,
    classToken: false,
  };
  const notes = [
    'token-type embedding row 0 is added to the position embeddings (every token has type 0)',
    'the pooler (dense + tanh on token 0) is part of the shared classifier',
  ];
  return { config, notes, typeVocabSize };
}

/**
 * Reads a parsed Hugging Face config.json of a ViT, DeiT or BERT classifier. The size keys
 * (hidden_size, num_hidden_layers, intermediate_size) are required; other keys left out take
 * transformers' defaults; an unknown architecture, a malformed key or an option Strata cannot
 * express throws an Error naming `file`, the key and its value.
 */
export function configFromHuggingFace(json: unknown, file: string): HfModelSpec {
  if (!isObject(json)) throw new Error(`${file}: expected a JSON object`);
  if (json.strata !== undefined) {
    throw new Error(
      `${file}: this is a Strata checkpoint (it has a "strata" key); load it as one, not as a Hugging Face import`,
    );
  }
  const architecture = readArchitecture(json, file);
  const prefix = HF_ARCHITECTURES[architecture];
  const spec: HfModelSpec =
    architecture === 'BertForSequenceClassification'
      ? { architecture, prefix, ...bertSpec(json, file) }
      : { architecture, prefix, ...visionSpec(json, architecture, file) };
  const problemType = json.problem_type;
  if (typeof problemType === 'string' && problemType !== 'single_label_classification') {
    spec.notes.push(
      `problem_type is "${problemType}": logits match transformers, but Strata's accuracy and losses assume single-label classification`,
    );
  }
  validateConfig(spec.config, file);
  return spec;
}
