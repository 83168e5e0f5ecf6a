// The forward pass of a decoder language model (GPT-2, Llama, Qwen2), as transformers 5 computes
// it: causal attention over the real tokens, positions 0..T−1 whatever the padding.
import { tf } from '../tf';
import type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D } from '../tf';
import { geluTanh, gelu } from '../model/layers';
import type { DecoderConfig } from './decoderConfig';
import { gatherRows } from './gatherRows';
import type { DecoderParams } from './decoderWeights';

export function get(params: DecoderParams, key: string): Tensor {
  const t = params.tensors.get(key);
  if (!t) throw new Error(`decoder parameters: tensor ${key} is missing (disposed?)`);
  return t;
}

/** x·W (+ b) over the last axis: [..., in] → [..., out]. */
export function dense(x: Tensor, w: Tensor, b?: Tensor): Tensor {
  const [inDim, outDim] = w.shape;
  const y = tf.matMul(tf.reshape(x, [-1, inDim]) as Tensor2D, w as Tensor2D);
  return tf.reshape(b ? tf.add(y, b) : y, [...x.shape.slice(0, -1), outDim]);
}

export function layerNorm(x: Tensor, w: Tensor, b: Tensor, eps: number): Tensor {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), w), b);
}

/** RMSNorm (Zhang & Sennrich 2019; Llama): x / √(mean(x²) + ε) · w. */
export function rmsNorm(x: Tensor, w: Tensor, eps: number): Tensor {
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), w);
}

/** The final norm (GPT-2 `ln_f`, Llama `model.norm`) of h [..., D]. */
export function finalNorm(params: DecoderParams, h: Tensor): Tensor {
  const c = params.config;
  return c.family === 'gpt2'
    ? layerNorm(h, get(params, 'norm.w'), get(params, 'norm.b'), c.normEps)
    : rmsNorm(h, get(params, 'norm.w'), c.normEps);
}

/** Vocabulary logits of normed states: [N, D] → [N, V]. */
export function unembed(params: DecoderParams, x: Tensor2D): Tensor2D {
  return tf.matMul(x, get(params, 'unembed') as Tensor2D);
}

/** RoPE cos and sin [T, dh] as transformers' default and linear rotary embeddings compute them. */
export function rotary(c: DecoderConfig, t: number): [Tensor2D, Tensor2D] {
  const half = c.headDim / 2;
  const cos = new Float32Array(t * c.headDim);
  const sin = new Float32Array(t * c.headDim);
  for (let i = 0; i < half; i++) {
    const invFreq = Math.fround(1 / c.ropeTheta ** ((2 * i) / c.headDim)) / c.ropeFactor;
    for (let p = 0; p < t; p++) {
      const angle = Math.fround(p * Math.fround(invFreq));
      for (const j of [i, i + half]) {
        cos[p * c.headDim + j] = Math.cos(angle);
        sin[p * c.headDim + j] = Math.sin(angle);
      }
    }
  }
  return [tf.tensor2d(cos, [t, c.headDim]), tf.tensor2d(sin, [t, c.headDim])];
}

/** q·cos + rotate_half(q)·sin, rotate_half(x) = [−x₂, x₁]: [B, H, T, dh]. */
export function applyRotary(x: Tensor4D, cos: Tensor2D, sin: Tensor2D): Tensor4D {
  const [x1, x2] = tf.split(x, 2, -1);
  const rotated = tf.concat([tf.neg(x2), x1], -1);
  return tf.add(tf.mul(x, cos), tf.mul(rotated, sin)) as Tensor4D;
}

/**
 * Additive mask [B, 1, T, T]: 0 where key k ≤ query q and k is a real token, −1e9 elsewhere
 * (transformers' causal mask combined with the padding mask).
 */
export function causalBias(mask: Tensor2D): Tensor4D {
  const [b, t] = mask.shape;
  const lower = tf.linalg.bandPart(tf.ones([t, t]), -1, 0); // [T, T], 1 where k ≤ q
  const allowed = tf.mul(lower, tf.reshape(mask, [b, 1, 1, t])); // [B, 1, T, T]
  return tf.mul(tf.sub(1, allowed), -1e9) as Tensor4D;
}

interface Context {
  bias: Tensor4D;
  rope: [Tensor2D, Tensor2D] | null;
}

function attention(params: DecoderParams, i: number, x: Tensor3D, ctx: Context): Tensor3D {
  const c = params.config;
  const [b, t] = x.shape;
  const [h, kvh, dh] = [c.numHeads, c.numKvHeads, c.headDim];
  let q: Tensor, k: Tensor, v: Tensor;
  const p = (key: string) => params.tensors.get(`${i}.${key}`);
  if (c.family === 'gpt2') {
    [q, k, v] = tf.split(dense(x, get(params, `${i}.qkv.w`), get(params, `${i}.qkv.b`)), 3, -1);
  } else {
    q = dense(x, p('q.w')!, p('q.b'));
    k = dense(x, p('k.w')!, p('k.b'));
    v = dense(x, p('v.w')!, p('v.b'));
  }
  const heads = (y: Tensor, n: number) =>
    tf.transpose(tf.reshape(y, [b, t, n, dh]), [0, 2, 1, 3]) as Tensor4D; // [B, n, T, dh]
  let [qh, kh, vh] = [heads(q, h), heads(k, kvh), heads(v, kvh)];
  if (ctx.rope) {
    qh = applyRotary(qh, ...ctx.rope);
    kh = applyRotary(kh, ...ctx.rope);
  }
  if (kvh !== h) {
    // Grouped-query attention: query head j reads key/value head ⌊j / (H / H_kv)⌋ (repeat_kv).
    // Rank 3, not 5: the gradient of broadcastTo (tile's) stops at rank 4.
    const repeat = (y: Tensor4D) =>
      tf.reshape(tf.broadcastTo(tf.reshape(y, [b * kvh, 1, t * dh]), [b * kvh, h / kvh, t * dh]), [
        b,
        h,
        t,
        dh,
      ]) as Tensor4D;
    [kh, vh] = [repeat(kh), repeat(vh)];
  }
  const scores = tf.mul(tf.matMul(qh, tf.transpose(kh, [0, 1, 3, 2])), 1 / Math.sqrt(dh));
  const weights = tf.softmax(tf.add(scores, ctx.bias));
  const context = tf.reshape(tf.transpose(tf.matMul(weights, vh), [0, 2, 1, 3]), [b, t, h * dh]);
  return dense(context, get(params, `${i}.o.w`), p('o.b')) as Tensor3D;
}

export function mlp(params: DecoderParams, i: number, x: Tensor3D): Tensor3D {
  const c = params.config;
  const p = (key: string) => get(params, `${i}.${key}`);
  if (c.family === 'llama') {
    const gate = dense(x, p('gate.w'));
    const silu = tf.mul(gate, tf.sigmoid(gate));
    return dense(tf.mul(silu, dense(x, p('up.w'))), p('down.w')) as Tensor3D;
  }
  const hidden = dense(x, p('fc.w'), p('fc.b'));
  const act =
    c.activation === 'gelu'
      ? gelu(hidden)
      : c.activation === 'relu'
        ? tf.relu(hidden)
        : geluTanh(hidden);
  return dense(act, p('proj.w'), p('proj.b')) as Tensor3D;
}

function block(params: DecoderParams, i: number, x: Tensor3D, ctx: Context): Tensor3D {
  const c = params.config;
  const norm = (y: Tensor3D, which: 'ln1' | 'ln2') =>
    (c.family === 'gpt2'
      ? layerNorm(y, get(params, `${i}.${which}.w`), get(params, `${i}.${which}.b`), c.normEps)
      : rmsNorm(y, get(params, `${i}.${which}.w`), c.normEps)) as Tensor3D;
  const a = tf.add(
    x,
    tf.tidy(() => attention(params, i, norm(x, 'ln1'), ctx)),
  ) as Tensor3D;
  return tf.add(
    a,
    tf.tidy(() => mlp(params, i, norm(a, 'ln2'))),
  ) as Tensor3D;
}

/** Token embeddings (+ GPT-2's learned positions): [B, T] int32 → [B, T, D]. */
function embed(params: DecoderParams, ids: Tensor2D): Tensor3D {
  const c = params.config;
  const [b, t] = ids.shape;
  if (t > c.maxPositions && c.family === 'gpt2')
    throw new Error(
      `model input: ${t} tokens per sample, expected at most n_positions = ${c.maxPositions}`,
    );
  const flat = tf.reshape(ids, [b * t]);
  const table = params.tensors.get('wte');
  // A tied table is held once, as the vocabulary projection [D, V]: its columns are the embeddings.
  const rows = table
    ? gatherRows(table as Tensor2D, flat as Tensor1D)
    : tf.transpose(gatherRows(get(params, 'unembed') as Tensor2D, flat as Tensor1D, 1));
  const tokens = tf.reshape(rows, [b, t, c.hiddenSize]);
  if (c.family !== 'gpt2') return tokens as Tensor3D;
  return tf.add(tokens, tf.slice(get(params, 'wpe'), [0, 0], [t, c.hiddenSize])) as Tensor3D;
}

/**
 * transformers' `hidden_states` of a batch: h_0 (embeddings), h_1 … h_{L−1} after each block, and
 * the final norm of h_L as the last entry; plus h_L itself un-normed as `last`. Synchronous: the
 * caller wraps it in tf.tidy and disposes what it keeps.
 */
export function decoderForward(
  params: DecoderParams,
  ids: Tensor2D,
  mask: Tensor2D,
): { hidden: Tensor3D[] } {
  const c = params.config;
  const ctx: Context = {
    bias: causalBias(mask),
    rope: c.family === 'llama' ? rotary(c, ids.shape[1]) : null,
  };
  const hidden = [embed(params, ids)];
  for (let i = 0; i < c.numLayers; i++) {
    const x = hidden[hidden.length - 1];
    hidden.push(tf.tidy(() => block(params, i, x, ctx)));
  }
  hidden[c.numLayers] = finalNorm(params, hidden[c.numLayers]) as Tensor3D;
  return { hidden };
}

/**
 * GPT2ForSequenceClassification's pooling: the rightmost token whose id is not the padding id
 * (transformers' `last_non_pad_token`: index 0 when every id is the padding id).
 */
export function lastRealToken(ids: Int32Array, n: number, t: number, pad: number): Int32Array {
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let last = 0;
    for (let k = 0; k < t; k++) if (ids[r * t + k] !== pad) last = k;
    out[r] = last;
  }
  return out;
}
