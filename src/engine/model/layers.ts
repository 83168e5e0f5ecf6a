import { tf } from '../tf';
import type { Tensor, Tensor3D, Tensor4D } from '../tf';
import type { Activation, ModelConfig } from './config';
import { linear, matMul } from './matmul';
import type { BlockParams, LayerNormParams } from './params';

/**
 * LayerNorm over the last axis (Ba, Kiros, Hinton 2016):
 * y = (x − μ) / √(σ² + ε) · γ + β, with μ, σ² the mean and biased variance of x's last axis.
 */
export function layerNorm<T extends Tensor>(x: T, params: LayerNormParams, eps: number): T {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, params.weight), params.bias) as T;
}

/**
 * Exact GELU (Hendrycks & Gimpel 2016; Hugging Face `gelu`): x · Φ(x) = ½x(1 + erf(x/√2)).
 * tf.erf has a gradient and a kernel on every backend; its approximation errs by < 2e-7.
 */
export function gelu<T extends Tensor>(x: T): T {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T;
}

/** Tanh GELU (Hugging Face `gelu_new` / `gelu_pytorch_tanh`): ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function geluTanh<T extends Tensor>(x: T): T {
  const cube = tf.mul(x, tf.square(x));
  const inner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner))) as T;
}

export function activate<T extends Tensor>(x: T, activation: Activation): T {
  // The GELUs' temporaries (each the MLP's widest shape) are freed as soon as they are summed.
  if (activation === 'gelu') return tf.tidy(() => gelu(x));
  if (activation === 'gelu_tanh') return tf.tidy(() => geluTanh(x));
  return tf.relu(x);
}

/** MLP(x) = act(x·W₁ + b₁)·W₂ + b₂: [B, T, D] → [B, T, mlpSize] → [B, T, D]. */
export function mlp(x: Tensor3D, params: BlockParams, config: ModelConfig): Tensor3D {
  return linear(activate(linear(x, params.intermediate), config.activation), params.output);
}

/**
 * Additive attention bias from a padding mask: 0 on real keys, −1e9 on padding, shaped
 * [B, 1, 1, T] to broadcast over heads and queries.
 */
export function attentionBias(mask: Tensor): Tensor4D {
  const [b, t] = mask.shape;
  return tf.reshape(tf.mul(tf.sub(1, mask), -1e9), [b, 1, 1, t]);
}

/**
 * Multi-head self-attention (Vaswani et al. 2017):
 * softmax(Q Kᵀ / √d_h + bias) V per head, heads concatenated, then the output projection.
 * Kᵀ is an explicit transpose of K, never a matmul flag (see {@link matMul}).
 */
export function multiHeadAttention(
  x: Tensor3D,
  params: BlockParams,
  config: ModelConfig,
  bias: Tensor4D | null,
): Tensor3D {
  const [b, t, d] = x.shape;
  const h = config.numHeads;
  const dh = d / h;
  const heads = (y: Tensor3D) => tf.reshape(y, [b, t, h, dh]); // [B, T, H, dh]
  const scaled = tf.mul(linear(x, params.query), 1 / Math.sqrt(dh)) as Tensor3D; // Q / √d_h
  const q = tf.transpose(heads(scaled), [0, 2, 1, 3]) as Tensor4D; // [B, H, T, dh]
  const kT = tf.transpose(heads(linear(x, params.key)), [0, 2, 3, 1]); // [B, H, dh, T]
  const v = tf.transpose(heads(linear(x, params.value)), [0, 2, 1, 3]); // [B, H, T, dh]
  const scores = matMul(q, kT); // [B, H, T, T]
  const weights = tf.softmax(bias ? tf.add(scores, bias) : scores); // over keys, the last axis
  const context = matMul(weights, v); // [B, H, T, dh]
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [b, t, d]) as Tensor3D; // [B, T, D]
  return linear(merged, params.attentionOutput);
}

/**
 * One transformer block.
 * pre-LN (ViT):  x ← x + attn(LN₁(x));  x ← x + mlp(LN₂(x)).
 * post-LN (BERT): x ← LN₁(x + attn(x)); x ← LN₂(x + mlp(x)).
 */
export function block(
  x: Tensor3D,
  params: BlockParams,
  config: ModelConfig,
  bias: Tensor4D | null,
): Tensor3D {
  const eps = config.layerNormEps;
  // Attention and the MLP each in a tidy of their own: a block then holds one of their
  // intermediates at a time, not both (ViT-B/16, 4 images: ~200 MB of wasm heap fewer).
  const attn = (y: Tensor3D) => tf.tidy(() => multiHeadAttention(y, params, config, bias));
  const ffn = (y: Tensor3D) => tf.tidy(() => mlp(y, params, config));
  const ln1 = (y: Tensor3D) => layerNorm(y, params.attentionNorm, eps);
  const ln2 = (y: Tensor3D) => layerNorm(y, params.mlpNorm, eps);
  const add = (a: Tensor3D, b: Tensor3D) => tf.add(a, b) as Tensor3D;
  if (config.norm === 'pre') {
    const a = add(x, attn(ln1(x)));
    return add(a, ffn(ln2(a)));
  }
  const a = ln1(add(x, attn(x)));
  return ln2(add(a, ffn(a)));
}
