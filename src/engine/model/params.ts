import { tf } from '../tf';
import type { Variable } from '../tf';
import { numPositions, positionTableSize, type ModelConfig } from './config';
import { initialValues, variableFrom, type InitSpec } from './init';

/** A LayerNorm's affine parameters, each [D]. */
export interface LayerNormParams<Leaf = Variable> {
  weight: Leaf;
  bias: Leaf;
}

/** A linear map y = x·W + b; W is stored [in, out] (the transpose of torch's [out, in]). */
export interface LinearParams<Leaf = Variable> {
  weight: Leaf;
  /** [out]; absent for query/key/value when `qkvBias` is false. */
  bias?: Leaf;
}

/** ViT embeddings: patch projection, class token, learned positions. */
export interface VisionEmbeddingParams<Leaf = Variable> {
  kind: 'vision';
  /** The patch projection as a matmul: weight [C·P·P, D] (torch Conv2d [D, C, P, P]). */
  patch: LinearParams<Leaf>;
  /** [1, 1, D] */
  classToken: Leaf;
  /** [1, 1, D]; DeiT only, the token after the class token. */
  distillationToken?: Leaf;
  /** [1, T, D], T = patches + 1 (+ 1 with a distillation token) */
  positions: Leaf;
  norm?: LayerNormParams<Leaf>;
}

/** Text embeddings: token table, learned positions, optional class token. */
export interface TextEmbeddingParams<Leaf = Variable> {
  kind: 'text';
  /** [V, D] */
  words: Leaf;
  /** [P, D], P = maxLength (+ 1 with a class token, + padTokenId + 1 with RoBERTa positions) */
  positions: Leaf;
  /** [1, 1, D] */
  classToken?: Leaf;
  norm?: LayerNormParams<Leaf>;
}

/** One transformer block. The norms sit before (pre-LN) or after (post-LN) each residual add. */
export interface BlockParams<Leaf = Variable> {
  attentionNorm: LayerNormParams<Leaf>;
  query: LinearParams<Leaf>;
  key: LinearParams<Leaf>;
  value: LinearParams<Leaf>;
  attentionOutput: LinearParams<Leaf>;
  mlpNorm: LayerNormParams<Leaf>;
  /** [D, mlpSize] */
  intermediate: LinearParams<Leaf>;
  /** [mlpSize, D] */
  output: LinearParams<Leaf>;
}

/** A classifier head g: optional LayerNorm, optional pooler (dense + tanh or relu), linear classifier. */
export interface HeadParams<Leaf = Variable> {
  norm?: LayerNormParams<Leaf>;
  pooler?: LinearParams<Leaf>;
  /** [D, C] */
  classifier: LinearParams<Leaf>;
}

/** Every trainable tensor of a model, as a typed record. */
export interface ModelParams<Leaf = Variable> {
  embeddings: VisionEmbeddingParams<Leaf> | TextEmbeddingParams<Leaf>;
  /** blocks[i] maps h_i to h_{i+1}. */
  blocks: BlockParams<Leaf>[];
  /** The shared head g (the model's own last-layer head). */
  head: HeadParams<Leaf>;
  /** Multi-exit baseline only: layerHeads[l - 1] is g_l for layer l = 1..L (LayerNorm + linear). */
  layerHeads?: HeadParams<Leaf>[];
}

/**
 * How a tensor is stored in a Hugging Face checkpoint and how it maps to the record:
 * `plain` keeps the shape; `linear` is torch [out, in] ↔ ours [in, out]; `patch` is the Conv2d
 * weight [D, C, P, P] ↔ ours [C·P·P, D] (both a 2-D transpose of [rows, cols] = [D, C·P·P]).
 */
export interface ParamSpec extends InitSpec {
  /** Hugging Face name, e.g. `vit.encoder.layer.0.attention.attention.query.weight`. */
  name: string;
  /** Shape in the checkpoint (torch layout). */
  torchShape: number[];
  layout: 'plain' | 'linear' | 'patch';
}

/**
 * Supplies the leaf for one spec: a variable, or the spec itself when only the specs are wanted.
 * `existing` is the leaf already in the record when the record is being walked (see
 * {@link paramEntries}), undefined when a new record is built.
 */
export type ParamBinder<Leaf = Variable> = (spec: ParamSpec, existing: Leaf | undefined) => Leaf;

function plain(name: string, shape: number[], init: ParamSpec['init']): ParamSpec {
  return { name, torchShape: shape, shape, layout: 'plain', init };
}

function layerNorm<Leaf>(
  bind: ParamBinder<Leaf>,
  name: string,
  d: number,
  old?: LayerNormParams<Leaf>,
): LayerNormParams<Leaf> {
  return {
    weight: bind(plain(`${name}.weight`, [d], 'ones'), old?.weight),
    bias: bind(plain(`${name}.bias`, [d], 'zeros'), old?.bias),
  };
}

function linear<Leaf>(
  bind: ParamBinder<Leaf>,
  name: string,
  [inDim, outDim]: [number, number],
  hasBias: boolean,
  old?: LinearParams<Leaf>,
): LinearParams<Leaf> {
  const weight: ParamSpec = {
    name: `${name}.weight`,
    torchShape: [outDim, inDim],
    shape: [inDim, outDim],
    layout: 'linear',
    init: 'normal',
  };
  const params: LinearParams<Leaf> = { weight: bind(weight, old?.weight) };
  if (hasBias) params.bias = bind(plain(`${name}.bias`, [outDim], 'zeros'), old?.bias);
  return params;
}

/** The checkpoint's name prefix of the backbone: `vit` or `text`. */
export function backbonePrefix(config: ModelConfig): string {
  return config.architecture === 'vit' ? 'vit' : 'text';
}

function embeddings<Leaf>(
  bind: ParamBinder<Leaf>,
  config: ModelConfig,
  old?: ModelParams<Leaf>['embeddings'],
) {
  const d = config.hiddenSize;
  const p = `${backbonePrefix(config)}.embeddings`;
  const norm = (o?: LayerNormParams<Leaf>) =>
    config.embeddingNorm ? layerNorm(bind, `${p}.LayerNorm`, d, o) : undefined;
  if (config.architecture === 'vit') {
    const o = old?.kind === 'vision' ? old : undefined;
    const { numChannels: c, patchSize: s } = config;
    const patch: ParamSpec = {
      name: `${p}.patch_embeddings.projection.weight`,
      torchShape: [d, c, s, s],
      shape: [c * s * s, d],
      layout: 'patch',
      init: 'normal',
    };
    const embeddingParams: VisionEmbeddingParams<Leaf> = {
      kind: 'vision',
      patch: {
        weight: bind(patch, o?.patch.weight),
        bias: bind(plain(`${p}.patch_embeddings.projection.bias`, [d], 'zeros'), o?.patch.bias),
      },
      classToken: bind(plain(`${p}.cls_token`, [1, 1, d], 'normal'), o?.classToken),
      distillationToken: config.distillationToken
        ? bind(plain(`${p}.distillation_token`, [1, 1, d], 'normal'), o?.distillationToken)
        : undefined,
      positions: bind(
        plain(`${p}.position_embeddings`, [1, numPositions(config), d], 'normal'),
        o?.positions,
      ),
      norm: norm(o?.norm),
    };
    return embeddingParams;
  }
  const o = old?.kind === 'text' ? old : undefined;
  const words = {
    ...plain(`${p}.word_embeddings.weight`, [config.vocabSize, d], 'normal'),
    zeroRow: config.padTokenId,
  };
  const embeddingParams: TextEmbeddingParams<Leaf> = {
    kind: 'text',
    words: bind(words, o?.words),
    positions: bind(
      plain(`${p}.position_embeddings.weight`, [positionTableSize(config), d], 'normal'),
      o?.positions,
    ),
    classToken: config.classToken
      ? bind(plain(`${p}.cls_token`, [1, 1, d], 'normal'), o?.classToken)
      : undefined,
    norm: norm(o?.norm),
  };
  return embeddingParams;
}

/** Pre-LN blocks are named like Hugging Face `ViTLayer`, post-LN blocks like `BertLayer`. */
function block<Leaf>(
  bind: ParamBinder<Leaf>,
  config: ModelConfig,
  i: number,
  old?: BlockParams<Leaf>,
): BlockParams<Leaf> {
  const d = config.hiddenSize;
  const p = `${backbonePrefix(config)}.encoder.layer.${i}`;
  const pre = config.norm === 'pre';
  const attn = pre ? `${p}.attention.attention` : `${p}.attention.self`;
  return {
    attentionNorm: layerNorm(
      bind,
      pre ? `${p}.layernorm_before` : `${p}.attention.output.LayerNorm`,
      d,
      old?.attentionNorm,
    ),
    query: linear(bind, `${attn}.query`, [d, d], config.qkvBias, old?.query),
    key: linear(bind, `${attn}.key`, [d, d], config.qkvBias, old?.key),
    value: linear(bind, `${attn}.value`, [d, d], config.qkvBias, old?.value),
    attentionOutput: linear(
      bind,
      `${p}.attention.output.dense`,
      [d, d],
      true,
      old?.attentionOutput,
    ),
    mlpNorm: layerNorm(
      bind,
      pre ? `${p}.layernorm_after` : `${p}.output.LayerNorm`,
      d,
      old?.mlpNorm,
    ),
    intermediate: linear(
      bind,
      `${p}.intermediate.dense`,
      [d, config.mlpSize],
      true,
      old?.intermediate,
    ),
    output: linear(bind, `${p}.output.dense`, [config.mlpSize, d], true, old?.output),
  };
}

function sharedHeadParams<Leaf>(
  bind: ParamBinder<Leaf>,
  config: ModelConfig,
  old?: HeadParams<Leaf>,
): HeadParams<Leaf> {
  const d = config.hiddenSize;
  const p = backbonePrefix(config);
  return {
    norm: config.finalNorm ? layerNorm(bind, `${p}.layernorm`, d, old?.norm) : undefined,
    pooler: config.pooler
      ? linear(bind, `${p}.pooler.dense`, [d, d], true, old?.pooler)
      : undefined,
    classifier: linear(bind, 'classifier', [d, config.numClasses], true, old?.classifier),
  };
}

/** g_l of the multi-exit baseline, named `strata.layer_heads.{l}.*` with l = 1..L. */
function layerHeadParams<Leaf>(
  bind: ParamBinder<Leaf>,
  config: ModelConfig,
  l: number,
  old?: HeadParams<Leaf>,
): HeadParams<Leaf> {
  const p = `strata.layer_heads.${l}`;
  return {
    norm: layerNorm(bind, `${p}.layernorm`, config.hiddenSize, old?.norm),
    classifier: linear(
      bind,
      `${p}.classifier`,
      [config.hiddenSize, config.numClasses],
      true,
      old?.classifier,
    ),
  };
}

/**
 * Builds the record for `config`, asking `bind` for each tensor in checkpoint order. Given `old`,
 * it walks that record instead and hands each variable to `bind` as `existing`.
 */
export function buildParams<Leaf = Variable>(
  config: ModelConfig,
  bind: ParamBinder<Leaf>,
  old?: ModelParams<Leaf>,
): ModelParams<Leaf> {
  const layers = Array.from({ length: config.numLayers }, (_, i) => i);
  const params: ModelParams<Leaf> = {
    embeddings: embeddings(bind, config, old?.embeddings),
    blocks: layers.map((i) => block(bind, config, i, old?.blocks[i])),
    head: sharedHeadParams(bind, config, old?.head),
  };
  if (config.heads === 'per-layer') {
    params.layerHeads = layers.map((i) =>
      layerHeadParams(bind, config, i + 1, old?.layerHeads?.[i]),
    );
  }
  return params;
}

/** Every variable of `params` with its spec, in checkpoint order. */
export function paramEntries(
  params: ModelParams,
  config: ModelConfig,
): { spec: ParamSpec; variable: Variable }[] {
  const entries: { spec: ParamSpec; variable: Variable }[] = [];
  buildParams(
    config,
    (spec, existing) => {
      if (!existing) throw new Error(`model parameters: ${spec.name} is missing for this config`);
      entries.push({ spec, variable: existing });
      return existing;
    },
    params,
  );
  return entries;
}

/** The specs of every tensor `config` needs, in checkpoint order (no tensor is created). */
export function paramSpecs(config: ModelConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  // The same walk as a real build, with each spec as its own leaf.
  buildParams<ParamSpec>(config, (spec) => {
    specs.push(spec);
    return spec;
  });
  return specs;
}

/**
 * Fresh parameters, the same on every backend: values are drawn in JavaScript (seedrandom,
 * truncated normal with std 0.02 like Hugging Face ViT; LayerNorm weight 1, biases 0) and then
 * uploaded. A tensor's values depend only on the seed and its name, so a model with per-layer
 * heads shares its backbone's initial values with the shared-head model of the same seed.
 */
export function initParams(config: ModelConfig, seed: number | string): ModelParams {
  return buildParams(config, (spec) => variableFrom(initialValues(spec, seed), spec.shape));
}

/** Every variable of `params` (in record order): the list to differentiate or optimise. */
export function paramVariables(params: ModelParams): Variable[] {
  const out: Variable[] = [];
  const walk = (node: unknown): void => {
    if (node instanceof tf.Variable) out.push(node);
    else if (typeof node === 'object' && node !== null) Object.values(node).forEach(walk);
  };
  walk(params);
  return out;
}

/** Disposes every variable of `params`. */
export function disposeParams(params: ModelParams): void {
  for (const variable of paramVariables(params)) variable.dispose();
}
