/**
 * The shape of a Strata transformer classifier (docs/design.md §3): a ViT on images or a text
 * encoder, with a shared classifier g that can read any layer's pooled residual stream.
 */

/** Token pooling a model uses by default to reduce h_l [B, T, D] to one vector per sample. */
export type Pooling = 'cls' | 'mean';

/** Hidden activation of the MLP. `gelu` is the exact erf form (Hugging Face `gelu`). */
export type Activation = 'gelu' | 'gelu_tanh' | 'relu';

interface BaseConfig {
  /** Width D of the residual stream. */
  hiddenSize: number;
  /** Number of transformer blocks L; the model has L + 1 hidden states h_0..h_L. */
  numLayers: number;
  /** Attention heads per block; hiddenSize must be a multiple of it. */
  numHeads: number;
  /** Width of the MLP's hidden layer (Hugging Face `intermediate_size`). */
  mlpSize: number;
  /** Number of classes C of the classifier head. */
  numClasses: number;
  /** One name per class, in class-index order (length numClasses). */
  labels: string[];
  /** ε added to the variance in every LayerNorm. */
  layerNormEps: number;
  activation: Activation;
  /** `pre`: x + f(LN(x)) (ViT); `post`: LN(x + f(x)) (BERT). */
  norm: 'pre' | 'post';
  /** Whether the query, key and value projections have biases. */
  qkvBias: boolean;
  /** A LayerNorm on the embedding output, so h_0 = LN(embeddings) (BERT). */
  embeddingNorm: boolean;
  /** A LayerNorm before the classifier (ViT's `vit.layernorm`); part of the shared head g. */
  finalNorm: boolean;
  /** BERT's dense + tanh on the pooled vector before the classifier; part of the shared head g. */
  pooler: boolean;
  /** The pooler's activation: `tanh` (BERT, RoBERTa; the default when absent) or `relu` (DistilBERT). */
  poolerActivation?: 'tanh' | 'relu';
  /** `per-layer` adds the multi-exit baseline: a LayerNorm + linear head g_l for each layer 1..L. */
  heads: 'shared' | 'per-layer';
  /** Pooling the model's own output (its final logits) uses. */
  pooling: Pooling;
}

/** A Vision Transformer (Hugging Face `ViTForImageClassification`); it always has a class token. */
export interface VisionConfig extends BaseConfig {
  architecture: 'vit';
  /** Side of the square input image in pixels. */
  imageSize: number;
  /** Side of the square patches; imageSize must be a multiple of it. */
  patchSize: number;
  /** Channels of the input image (1 for MNIST). */
  numChannels: number;
  /**
   * DeiT's learned distillation token, right after the class token (Touvron et al. 2021,
   * Hugging Face `DeiTForImageClassification`). Absent means false. The head still reads token 0.
   */
  distillationToken?: boolean;
}

/** A text encoder over token ids (Strata's own, named like Hugging Face ViT/BERT layers). */
export interface TextConfig extends BaseConfig {
  architecture: 'text';
  vocabSize: number;
  /** The most token ids one input may hold (the class token, if any, comes on top). */
  maxLength: number;
  /** Id the tokenizer pads with; its embedding row starts at zero. */
  padTokenId: number;
  /**
   * Whether the model prepends a learned class token. Without one, `cls` pooling reads token 0,
   * which is then the tokenizer's own [CLS] id, as in BERT.
   */
  classToken: boolean;
  /**
   * RoBERTa / XLM-R position ids (transformers' `create_position_ids_from_input_ids`): real tokens
   * count up from padTokenId + 1, every pad token takes row padTokenId, so the position table has
   * padTokenId + 1 + maxLength rows. Absent means false: token t takes row t.
   */
  positionsAfterPadding?: boolean;
}

export type ModelConfig = VisionConfig | TextConfig;

/** Number of patches of a ViT: (imageSize / patchSize)². */
export function numPatches(config: VisionConfig): number {
  return (config.imageSize / config.patchSize) ** 2;
}

/**
 * Number of learned positions: patches + class token (+ distillation token) for a ViT, or
 * maxLength (+ 1 class token) for text.
 */
export function numPositions(config: ModelConfig): number {
  if (config.architecture === 'vit')
    return numPatches(config) + 1 + (config.distillationToken ? 1 : 0);
  return config.maxLength + (config.classToken ? 1 : 0);
}

/**
 * Rows of the position table: {@link numPositions}, plus padTokenId + 1 rows before them with
 * positions counted after the padding id (RoBERTa).
 */
export function positionTableSize(config: ModelConfig): number {
  const n = numPositions(config);
  return config.architecture === 'text' && config.positionsAfterPadding
    ? n + config.padTokenId + 1
    : n;
}

/** Width of one attention head, D / H. */
export function headSize(config: ModelConfig): number {
  return config.hiddenSize / config.numHeads;
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(value);
}

/**
 * Named presets. Frozen: spread them to change a field, e.g.
 * `{ ...PRESETS['vit-mnist'], heads: 'per-layer' }` for the multi-exit baseline.
 */
export const PRESETS = deepFreeze({
  /** 28×28×1 images, 7×7 patches → 16 patches + class token = 17 tokens; the built-in default. */
  'vit-mnist': {
    architecture: 'vit',
    imageSize: 28,
    patchSize: 7,
    numChannels: 1,
    hiddenSize: 64,
    numLayers: 6,
    numHeads: 4,
    mlpSize: 128,
    numClasses: 10,
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    layerNormEps: 1e-6,
    activation: 'gelu',
    norm: 'pre',
    qkvBias: true,
    embeddingNorm: false,
    finalNorm: true,
    pooler: false,
    heads: 'shared',
    pooling: 'cls',
  } satisfies VisionConfig,
  /** Pre-LN text encoder for binary sentiment: 128 token ids + a learned class token. */
  'text-imdb': {
    architecture: 'text',
    vocabSize: 8000,
    maxLength: 128,
    padTokenId: 0,
    classToken: true,
    hiddenSize: 64,
    numLayers: 4,
    numHeads: 4,
    mlpSize: 128,
    numClasses: 2,
    labels: ['negative', 'positive'],
    layerNormEps: 1e-6,
    activation: 'gelu',
    norm: 'pre',
    qkvBias: true,
    embeddingNorm: false,
    finalNorm: true,
    pooler: false,
    heads: 'shared',
    pooling: 'cls',
  } satisfies TextConfig,
}) as Readonly<{ 'vit-mnist': VisionConfig; 'text-imdb': TextConfig }>;

export type PresetName = keyof typeof PRESETS;

const ACTIVATIONS: readonly string[] = ['gelu', 'gelu_tanh', 'relu'];

function isPositiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

function checkEnum(problems: string[], field: string, value: unknown, allowed: readonly string[]) {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    problems.push(`${field} is ${JSON.stringify(value)}, expected one of ${allowed.join(', ')}`);
  }
}

/**
 * Checks a config at the edge (presets, config.json, URL state) so the model code can trust it.
 * Throws one Error that lists every problem, prefixed by `where` (e.g. a file name).
 */
export function validateConfig(config: ModelConfig, where: string): void {
  const problems: string[] = [];
  const c = config as unknown as Record<string, unknown>;
  const sizes = ['hiddenSize', 'numLayers', 'numHeads', 'mlpSize', 'numClasses'];
  checkEnum(problems, 'architecture', c.architecture, ['vit', 'text']);
  const archSizes =
    c.architecture === 'vit'
      ? ['imageSize', 'patchSize', 'numChannels']
      : c.architecture === 'text'
        ? ['vocabSize', 'maxLength']
        : [];
  for (const field of [...sizes, ...archSizes]) {
    if (!isPositiveInteger(c[field])) {
      problems.push(`${field} is ${JSON.stringify(c[field])}, expected a positive integer`);
    }
  }
  const { hiddenSize, numHeads, numClasses } = config;
  if (isPositiveInteger(hiddenSize) && isPositiveInteger(numHeads) && hiddenSize % numHeads !== 0) {
    problems.push(
      `hiddenSize ${hiddenSize} is not divisible by numHeads ${numHeads} (each head needs an equal integer width)`,
    );
  }
  if (!Array.isArray(config.labels) || config.labels.some((l) => typeof l !== 'string')) {
    problems.push('labels must be a list of strings');
  } else if (config.labels.length !== numClasses) {
    problems.push(`labels has ${config.labels.length} names, expected numClasses = ${numClasses}`);
  }
  if (!(typeof config.layerNormEps === 'number' && config.layerNormEps > 0)) {
    problems.push(`layerNormEps is ${JSON.stringify(config.layerNormEps)}, expected a number > 0`);
  }
  checkEnum(problems, 'activation', config.activation, ACTIVATIONS);
  checkEnum(problems, 'norm', config.norm, ['pre', 'post']);
  checkEnum(problems, 'heads', config.heads, ['shared', 'per-layer']);
  checkEnum(problems, 'pooling', config.pooling, ['cls', 'mean']);
  for (const flag of ['qkvBias', 'embeddingNorm', 'finalNorm', 'pooler']) {
    if (typeof c[flag] !== 'boolean')
      problems.push(`${flag} is ${JSON.stringify(c[flag])}, expected true or false`);
  }
  if (config.poolerActivation !== undefined)
    checkEnum(problems, 'poolerActivation', config.poolerActivation, ['tanh', 'relu']);
  if (config.architecture === 'vit') {
    const { imageSize, patchSize } = config;
    if (
      isPositiveInteger(imageSize) &&
      isPositiveInteger(patchSize) &&
      imageSize % patchSize !== 0
    ) {
      problems.push(`imageSize ${imageSize} is not divisible by patchSize ${patchSize}`);
    }
    const { distillationToken } = config;
    if (distillationToken !== undefined && typeof distillationToken !== 'boolean') {
      problems.push(
        `distillationToken is ${JSON.stringify(distillationToken)}, expected true or false`,
      );
    }
  } else if (config.architecture === 'text') {
    const { padTokenId, vocabSize } = config;
    if (!(Number.isInteger(padTokenId) && padTokenId >= 0 && padTokenId < vocabSize)) {
      problems.push(
        `padTokenId is ${JSON.stringify(padTokenId)}, expected an integer in [0, ${vocabSize})`,
      );
    }
    if (typeof config.classToken !== 'boolean') {
      problems.push(`classToken is ${JSON.stringify(config.classToken)}, expected true or false`);
    }
    const { positionsAfterPadding } = config;
    if (positionsAfterPadding !== undefined && typeof positionsAfterPadding !== 'boolean') {
      problems.push(
        `positionsAfterPadding is ${JSON.stringify(positionsAfterPadding)}, expected true or false`,
      );
    } else if (positionsAfterPadding && config.classToken) {
      problems.push('positionsAfterPadding needs classToken false (RoBERTa has no class token)');
    }
  }
  if (problems.length > 0) {
    throw new Error(`${where}: invalid model config: ${problems.join('; ')}`);
  }
}
