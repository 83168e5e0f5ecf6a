// A Hugging Face config.json of a supported classifier, read into Strata's model config.
import { validateConfig, type ModelConfig } from '../model/config';
import { isObject, keyReader, readBase, readLabels, type KeyReader } from './hfConfigKeys';
import { bertSpec, distilBertSpec, robertaSpec, type TextSpec } from './hfTextConfig';

/** The Hugging Face classes Strata imports, with the weight-name prefix of their backbone. */
export const HF_ARCHITECTURES = {
  ViTForImageClassification: 'vit',
  DeiTForImageClassification: 'deit',
  BertForSequenceClassification: 'bert',
  RobertaForSequenceClassification: 'roberta',
  XLMRobertaForSequenceClassification: 'roberta',
  DistilBertForSequenceClassification: 'distilbert',
} as const;

export type HfArchitecture = keyof typeof HF_ARCHITECTURES;

/** `model_type` each architecture is saved with. */
const MODEL_TYPES: Record<HfArchitecture, string> = {
  ViTForImageClassification: 'vit',
  DeiTForImageClassification: 'deit',
  BertForSequenceClassification: 'bert',
  RobertaForSequenceClassification: 'roberta',
  XLMRobertaForSequenceClassification: 'xlm-roberta',
  DistilBertForSequenceClassification: 'distilbert',
};

/** Classes that look close but that Strata cannot express, with the reason given to the user. */
const UNSUPPORTED_REASONS: Record<string, string> = {
  DeiTForImageClassificationWithTeacher:
    'its logits average two heads (class token and distillation token), while Strata has one classifier on the class token; save the model as DeiTForImageClassification to use the class-token head alone',
};

/**
 * transformers' defaults (ViTConfig, DeiTConfig) for the keys Strata reads, used when a
 * config.json leaves a key out, as `from_pretrained` does.
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

/** What a config.json says: Strata's config, the Hugging Face class and its details. */
export interface HfModelSpec extends Omit<TextSpec, 'config'> {
  architecture: HfArchitecture;
  /** Prefix of the backbone's weight names in the checkpoint (`vit`, `deit`, `bert`, …). */
  prefix: (typeof HF_ARCHITECTURES)[HfArchitecture];
  config: ModelConfig;
  /** What the mapping does that a user may want to know. */
  notes: string[];
}

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

/** `image_size` as an integer, or a [h, w] list of two equal integers (Strata's ViT is square). */
function readImageSize(keys: KeyReader): number {
  const size = keys.value('image_size');
  if (Array.isArray(size) && size.length === 2 && size[0] === size[1]) {
    if (Number.isInteger(size[0]) && size[0] > 0) return size[0] as number;
  }
  if (Array.isArray(size)) return keys.unsupported('image_size', 'only square images are read');
  return keys.positive('image_size');
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

function specOf(json: Record<string, unknown>, architecture: HfArchitecture, file: string) {
  switch (architecture) {
    case 'BertForSequenceClassification':
      return bertSpec(json, file);
    case 'RobertaForSequenceClassification':
    case 'XLMRobertaForSequenceClassification':
      return robertaSpec(json, file);
    case 'DistilBertForSequenceClassification':
      return distilBertSpec(json, file);
    default:
      return visionSpec(json, architecture, file);
  }
}

/**
 * Reads a parsed Hugging Face config.json of a ViT, DeiT, BERT, RoBERTa, XLM-R or DistilBERT
 * classifier. The keys that fix weight shapes (sizes; for text also vocab_size,
 * max_position_embeddings, type_vocab_size) are required; other keys left out take transformers'
 * defaults; an unknown architecture, a malformed or inconsistent key or an option Strata cannot
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
  const spec: HfModelSpec = { architecture, prefix, ...specOf(json, architecture, file) };
  const problemType = json.problem_type;
  if (typeof problemType === 'string' && problemType !== 'single_label_classification') {
    spec.notes.push(
      `problem_type is "${problemType}": logits match transformers, but Strata's accuracy and losses assume single-label classification`,
    );
  }
  validateConfig(spec.config, file);
  return spec;
}
