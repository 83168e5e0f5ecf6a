import { tf } from '../tf';
import type { Tensor, Tensor2D, Tensor3D, Tensor4D, Variable } from '../tf';
import type { TextConfig, VisionConfig } from './config';
import { layerNorm } from './layers';
import { linear } from './matmul';
import type { TextEmbeddingParams, VisionEmbeddingParams } from './params';

/**
 * Cuts NCHW pixels into flattened patches, row by row: [B, C, H, W] → [B, N, C·P·P] with
 * N = (H/P)(W/P). Each patch vector is ordered (c, dy, dx), the order of a torch Conv2d weight
 * [D, C, P, P], so one matmul with it equals Hugging Face's Conv2d(kernel = stride = P) followed by
 * `flatten(2).transpose(1, 2)`.
 */
export function patchify(pixels: Tensor4D, patchSize: number): Tensor3D {
  const [b, c, height, width] = pixels.shape;
  const [rows, cols] = [height / patchSize, width / patchSize];
  const grid = tf.reshape(pixels, [b, c, rows, patchSize, cols, patchSize]); // [B, C, Hp, P, Wp, P]
  const patches = tf.transpose(grid, [0, 2, 4, 1, 3, 5]); // [B, Hp, Wp, C, P, P]
  return tf.reshape(patches, [b, rows * cols, c * patchSize * patchSize]); // [B, N, C·P·P]
}

/** Patch projection: [B, C, H, W] → [B, N, D]. */
export function patchEmbed(
  pixels: Tensor4D,
  params: VisionEmbeddingParams,
  patchSize: number,
): Tensor3D {
  return linear(patchify(pixels, patchSize), params.patch);
}

/**
 * Embedding lookup E[ids]: [B, T] int32 → [B, T, D]. Its gradient is written out as a scatter-add,
 * dE = Σ_{i: ids_i = v} dY_i, because tf.gather's own gradient needs UnsortedSegmentSum, which
 * the wasm backend of tfjs 4.22 lacks. scatterND sums duplicate indices on every backend.
 */
export function tokenEmbed(ids: Tensor2D, table: Variable): Tensor3D {
  const [b, t] = ids.shape;
  const [vocab, d] = table.shape;
  const flatIds = tf.reshape(ids, [b * t]); // [B·T]
  // flatIds is saved for the backward pass: ids computed inside the model (RoBERTa's positions)
  // would otherwise be freed when the forward pass ends.
  const lookup = tf.customGrad((e, save) => {
    (save as tf.GradSaveFunc)([flatIds]);
    const rows = tf.gather(e as Tensor, flatIds); // [B·T, D]
    return {
      value: tf.reshape(rows, [b, t, d]), // [B, T, D]
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const indices = tf.reshape(saved[0], [b * t, 1]); // [B·T, 1]
        return tf.scatterND(indices, tf.reshape(dy, [b * t, d]), [vocab, d]); // [V, D]
      },
    };
  });
  return lookup(table) as Tensor3D;
}

/** Prepends a learned token [1, 1, D] to every sample: [B, T, D] → [B, 1 + T, D]. */
export function prependToken(x: Tensor3D, token: Tensor): Tensor3D {
  const [b, , d] = x.shape;
  // A broadcasting add, whose gradient is one sum over the batch. tf.broadcastTo runs Tile,
  // whose gradient is a slice and an add per sample (256 kernels a step at batch 128).
  const first = tf.add(token, tf.zeros([b, 1, d])); // [B, 1, D]
  return tf.concat([first, x], 1) as Tensor3D; // [B, 1 + T, D]
}

/**
 * h_0 of a ViT: [class token; (distillation token;) patches·W + b] + positions (then LayerNorm
 * if configured). The distillation token sits at index 1, as in Hugging Face `DeiTEmbeddings`.
 */
export function visionEmbeddings(
  pixels: Tensor4D,
  params: VisionEmbeddingParams,
  config: VisionConfig,
): Tensor3D {
  const [, c, height, width] = pixels.shape;
  const { numChannels, imageSize } = config;
  if (c !== numChannels || height !== imageSize || width !== imageSize) {
    throw new Error(
      `model input: pixels have shape [${pixels.shape.join(', ')}], expected [B, ${numChannels}, ${imageSize}, ${imageSize}] (NCHW)`,
    );
  }
  let tokens = patchEmbed(pixels, params, config.patchSize); // [B, N, D]
  if (params.distillationToken) tokens = prependToken(tokens, params.distillationToken); // [B, 1 + N, D]
  tokens = prependToken(tokens, params.classToken); // [B, T, D]
  const h0 = tf.add(tokens, params.positions) as Tensor3D;
  return params.norm ? layerNorm(h0, params.norm, config.layerNormEps) : h0;
}

/**
 * RoBERTa's position ids, as transformers' `create_position_ids_from_input_ids`: a real token's
 * id is pad + (number of real tokens up to and including it), a pad token's is pad. Read from the
 * ids, not the mask, as transformers does. [B, t] int32 → [B, t] int32.
 */
export function positionIdsAfterPadding(ids: Tensor2D, pad: number): Tensor2D {
  const real = tf.cast(tf.notEqual(ids, pad), 'int32'); // [B, t]
  return tf.add(tf.mul(tf.cumsum(real, 1), real), tf.scalar(pad, 'int32')) as Tensor2D;
}

/**
 * h_0 of the text encoder: [class token;] E[ids] + positions (then LayerNorm if configured),
 * and the padding mask extended over the class token (which is always real).
 */
export function textEmbeddings(
  ids: Tensor2D,
  mask: Tensor2D,
  params: TextEmbeddingParams,
  config: TextConfig,
): { h0: Tensor3D; mask: Tensor2D } {
  const [b, t] = ids.shape;
  if (t > config.maxLength || t < 1) {
    throw new Error(
      `model input: ${t} token ids per sample, expected 1 to maxLength = ${config.maxLength}`,
    );
  }
  if (ids.dtype !== 'int32')
    throw new Error(`model input: ids have dtype ${ids.dtype}, expected int32`);
  if (mask.shape[0] !== b || mask.shape[1] !== t) {
    throw new Error(
      `model input: mask has shape [${mask.shape.join(', ')}], expected [${b}, ${t}] like ids`,
    );
  }
  let tokens = tokenEmbed(ids, params.words); // [B, t, D]
  if (mask.dtype !== 'float32')
    throw new Error(`model input: mask has dtype ${mask.dtype}, expected float32`);
  let fullMask = mask;
  if (params.classToken) {
    tokens = prependToken(tokens, params.classToken); // [B, t + 1, D]
    fullMask = tf.concat([tf.ones([b, 1]), fullMask], 1); // [B, t + 1]
  }
  const positions = config.positionsAfterPadding
    ? tokenEmbed(positionIdsAfterPadding(ids, config.padTokenId), params.positions) // [B, t, D]
    : tf.slice(params.positions, [0, 0], [tokens.shape[1], config.hiddenSize]); // [T, D]
  const h0 = tf.add(tokens, positions) as Tensor3D;
  return { h0: params.norm ? layerNorm(h0, params.norm, config.layerNormEps) : h0, mask: fullMask };
}
