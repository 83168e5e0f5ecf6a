import { tf } from '../tf';
import type { Tensor2D, Tensor3D, Tensor4D } from '../tf';
import type { ModelConfig, Pooling } from './config';
import { textEmbeddings, visionEmbeddings } from './embeddings';
import { attentionBias, block, layerNorm } from './layers';
import { linear } from './matmul';
import type { HeadParams, ModelParams } from './params';

/** What the model reads: NCHW pixels (Hugging Face `pixel_values`), or token ids with a mask. */
export type ModelInput =
  | { kind: 'image'; /** [B, C, H, W] float32 */ pixels: Tensor4D }
  | {
      kind: 'text';
      /** [B, t] int32, t ≤ maxLength, padded at the end */
      ids: Tensor2D;
      /** [B, t] float32: 1 on real tokens, 0 on padding */
      mask: Tensor2D;
    };

/** How a capture pools each h_l: `tokens` keeps every (sample, token) pair as its own row. */
export type CapturePooling = Pooling | 'tokens';

export interface ForwardOptions {
  /** Pooling for `pooled` and `logits` (default: the config's). */
  pooling?: CapturePooling;
  /** Whether the shared head g applies the final LayerNorm (default true; docs/design.md §3). */
  finalNormInHead?: boolean;
  /** `last` pools and classifies only layer L (training with the standard loss). Default `all`. */
  layers?: 'all' | 'last';
}

/**
 * Everything one forward pass exposes, layer by layer (docs/design.md §3). Layer 0 is the embedding
 * output h_0, layer l ≥ 1 the residual stream after block l. A type alias (not an interface) so
 * that `tf.tidy(() => forward(…))` accepts it as a TensorContainer.
 */
export type Capture = {
  /** hidden[l] = h_l, l = 0..L, each [B, T, D] (T counts the class token). */
  hidden: Tensor3D[];
  /** The layer each entry of `pooled`, `logits` refers to: [0, 1, …, L], or [L] for `last`. */
  layers: number[];
  /** pooled[i] = pooling of h_{layers[i]}: cls or mean → [B, D]; tokens → [B·T, D]. */
  pooled: Tensor2D[];
  /** logits[i] = g(pooled[i]), the shared head on layer layers[i]: [B, C] ([B·T, C] for tokens). */
  logits: Tensor2D[];
  /**
   * Per-layer heads only: g_l(pooled of h_l) for each layer l ≥ 1 of `layers`, so with `all`
   * layerHeadLogits[l − 1] belongs to layer l (there is no head on the embeddings).
   */
  layerHeadLogits?: Tensor2D[];
  /** The model's own output (Hugging Face `logits`): g with the final norm on h_L, config pooling. */
  finalLogits: Tensor2D;
  /**
   * Text only: [B, T] 1 on real tokens (class token included), 0 on padding. With `tokens`
   * pooling, row b·T + t of `pooled` is real where tokenMask[b, t] = 1.
   */
  tokenMask?: Tensor2D;
};

/**
 * Reduces h [B, T, D] to one row per sample: `cls` takes token 0 (a slice: tf.gather has no
 * gradient on wasm); `mean` averages the tokens whose mask is 1, class token included;
 * `tokens` flattens to [B·T, D].
 */
export function pool(h: Tensor3D, pooling: CapturePooling, mask: Tensor2D | null): Tensor2D {
  const [b, t, d] = h.shape;
  if (pooling === 'cls') return tf.reshape(tf.slice(h, [0, 0, 0], [b, 1, d]), [b, d]); // [B, D]
  if (pooling === 'tokens') return tf.reshape(h, [b * t, d]); // [B·T, D]
  if (!mask) return tf.mean(h, 1); // [B, D]
  const weights = tf.reshape(mask, [b, t, 1]); // [B, T, 1]
  const sum = tf.sum(tf.mul(h, weights), 1); // [B, D]
  return tf.div(sum, tf.sum(mask, 1, true)); // [B, D]
}

/**
 * The shared classifier g (docs/design.md §3): [final LayerNorm →] [pooler dense + tanh/relu →] linear.
 * `finalNorm: false` skips the LayerNorm (an option of the per-layer read-out). [N, D] → [N, C].
 */
export function sharedHead(
  params: ModelParams,
  config: ModelConfig,
  pooled: Tensor2D,
  { finalNorm = true }: { finalNorm?: boolean } = {},
): Tensor2D {
  const { norm, pooler, classifier } = params.head;
  let x = finalNorm && norm ? layerNorm(pooled, norm, config.layerNormEps) : pooled;
  if (pooler) {
    const dense = linear(x, pooler);
    x = config.poolerActivation === 'relu' ? tf.relu(dense) : tf.tanh(dense);
  }
  return linear(x, classifier);
}

/** A per-layer head g_l of the multi-exit baseline: LayerNorm → linear. [N, D] → [N, C]. */
export function layerHead(head: HeadParams, config: ModelConfig, pooled: Tensor2D): Tensor2D {
  const x = head.norm ? layerNorm(pooled, head.norm, config.layerNormEps) : pooled;
  return linear(x, head.classifier);
}

function embed(
  params: ModelParams,
  config: ModelConfig,
  input: ModelInput,
): { h0: Tensor3D; mask: Tensor2D | null } {
  const e = params.embeddings;
  if (config.architecture === 'vit' && input.kind === 'image' && e.kind === 'vision') {
    return { h0: visionEmbeddings(input.pixels, e, config), mask: null };
  }
  if (config.architecture === 'text' && input.kind === 'text' && e.kind === 'text') {
    return textEmbeddings(input.ids, input.mask, e, config);
  }
  throw new Error(
    `model input: a ${config.architecture} model with ${e.kind} parameters cannot read ${input.kind} input`,
  );
}

/**
 * Runs the model and captures every layer. Synchronous: the caller wraps it in tf.tidy and
 * owns (disposes) what it keeps.
 */
export function forward(
  params: ModelParams,
  config: ModelConfig,
  input: ModelInput,
  options: ForwardOptions = {},
): Capture {
  const pooling = options.pooling ?? config.pooling;
  const finalNorm = options.finalNormInHead ?? true;
  const { h0, mask } = embed(params, config, input);
  const bias = mask ? attentionBias(mask) : null; // [B, 1, 1, T]
  const hidden = [h0];
  // Each block in its own tidy: only h_l outlives it, so a forward holds one block's
  // intermediates at a time (ViT-B/16, 4 images: ~2.4 GB of wasm heap without this, 12 blocks'
  // worth). Under a gradient tape this is safe too: the tape keeps its own copies of what the
  // backward pass reads.
  for (const blockParams of params.blocks) {
    const h = hidden[hidden.length - 1];
    hidden.push(tf.tidy(() => block(h, blockParams, config, bias)));
  }

  const last = params.blocks.length;
  const layers = options.layers === 'last' ? [last] : hidden.map((_, l) => l);
  const pooled = layers.map((l) => pool(hidden[l], pooling, mask));
  const capture: Capture = {
    hidden,
    layers,
    pooled,
    logits: pooled.map((x) => sharedHead(params, config, x, { finalNorm })),
    finalLogits: sharedHead(params, config, pool(hidden[last], config.pooling, mask)),
  };
  const { layerHeads } = params;
  if (layerHeads) {
    capture.layerHeadLogits = layers.flatMap((l, i) =>
      l >= 1 ? [layerHead(layerHeads[l - 1], config, pooled[i])] : [],
    );
  }
  if (mask) capture.tokenMask = mask;
  return capture;
}
