// A key/value cache for one sequence (batch 1): the decoder's blocks run on new tokens only,
// attending to the keys and values kept from earlier positions. Same arithmetic as
// decoderForward.ts, which stays the reference for whole batches.
import { tf } from '../tf';
import type { Tensor, Tensor2D, Tensor3D, Tensor4D } from '../tf';
import {
  applyRotary,
  dense,
  get as param,
  layerNorm,
  mlp,
  rmsNorm,
  rotary,
} from './decoderForward';
import type { DecoderParams } from './decoderWeights';

/** Per block, keys (RoPE applied) and values of positions 0..length−1: [1, H_kv, length, dh]. */
export interface KvCache {
  keys: (Tensor4D | null)[];
  values: (Tensor4D | null)[];
  length: number;
}

export function emptyCache(params: DecoderParams): KvCache {
  const layers = params.config.numLayers;
  return { keys: new Array(layers).fill(null), values: new Array(layers).fill(null), length: 0 };
}

export function disposeCache(cache: KvCache): void {
  tf.dispose([...cache.keys, ...cache.values].filter((t): t is Tensor4D => t !== null));
  cache.keys.fill(null);
  cache.values.fill(null);
  cache.length = 0;
}

/** Block i's pre-attention (`ln1`) or pre-MLP (`ln2`) norm. */
function blockNorm(params: DecoderParams, i: number, x: Tensor, which: 'ln1' | 'ln2'): Tensor {
  const c = params.config;
  return c.family === 'gpt2'
    ? layerNorm(x, param(params, `${i}.${which}.w`), param(params, `${i}.${which}.b`), c.normEps)
    : rmsNorm(x, param(params, `${i}.${which}.w`), c.normEps);
}

/** RoPE cos and sin of positions start..start+S−1: [S, dh] each. */
function rotaryAt(params: DecoderParams, start: number, s: number): [Tensor2D, Tensor2D] {
  const [cos, sin] = rotary(params.config, start + s);
  return [tf.slice(cos, [start, 0], [s, -1]), tf.slice(sin, [start, 0], [s, -1])];
}

const heads = (y: Tensor, n: number, dh: number) =>
  tf.transpose(tf.reshape(y, [1, y.shape[1]!, n, dh]), [0, 2, 1, 3]) as Tensor4D; // [1, n, S, dh]

/**
 * Block i's queries [1, H, S, dh] and keys, values [1, H_kv, S, dh] of inputs x [1, S, D] at
 * positions start…, RoPE applied.
 */
function project(params: DecoderParams, i: number, x: Tensor3D, start: number): Tensor4D[] {
  const c = params.config;
  const p = (key: string) => params.tensors.get(`${i}.${key}`);
  const normed = blockNorm(params, i, x, 'ln1');
  let q: Tensor, k: Tensor, v: Tensor;
  if (c.family === 'gpt2') {
    [q, k, v] = tf.split(dense(normed, param(params, `${i}.qkv.w`), p('qkv.b')), 3, -1);
  } else {
    q = dense(normed, p('q.w')!, p('q.b'));
    k = dense(normed, p('k.w')!, p('k.b'));
    v = dense(normed, p('v.w')!, p('v.b'));
  }
  let [qh, kh] = [heads(q, c.numHeads, c.headDim), heads(k, c.numKvHeads, c.headDim)];
  if (c.family === 'llama') {
    const rope = rotaryAt(params, start, x.shape[1]);
    [qh, kh] = [applyRotary(qh, ...rope), applyRotary(kh, ...rope)];
  }
  return [qh, kh, heads(v, c.numKvHeads, c.headDim)];
}

/** Appends keys and values to block i's cache, which takes them over and frees what it replaces. */
function append(cache: KvCache, i: number, k: Tensor4D, v: Tensor4D): void {
  const [oldK, oldV] = [cache.keys[i], cache.values[i]];
  if (!oldK || !oldV) {
    [cache.keys[i], cache.values[i]] = [k, v];
    return;
  }
  cache.keys[i] = tf.concat([oldK, k], 2);
  cache.values[i] = tf.concat([oldV, v], 2);
  tf.dispose([oldK, oldV, k, v]);
}

/**
 * Block i on the inputs x [1, S, D] of positions cache.length… (the caller advances
 * `cache.length` once every block has run): their keys and values join the cache, their queries
 * attend to every cached position and causally to each other. Returns the block's output.
 */
export function cachedBlock(
  params: DecoderParams,
  i: number,
  x: Tensor3D,
  cache: KvCache,
): Tensor3D {
  const c = params.config;
  const [h, kvh, dh] = [c.numHeads, c.numKvHeads, c.headDim];
  const s = x.shape[1];
  const start = cache.length;
  const [qh, k, v] = tf.tidy(() => project(params, i, x, start));
  append(cache, i, k, v);
  const out = tf.tidy(() => {
    const total = start + s;
    // Grouped-query attention: query head j reads key/value head ⌊j / (H / H_kv)⌋.
    const repeat = (y: Tensor4D) =>
      tf.reshape(
        tf.broadcastTo(tf.reshape(y, [1, kvh, 1, total, dh]), [1, kvh, h / kvh, total, dh]),
        [1, h, total, dh],
      ) as Tensor4D;
    const [kh, vh] =
      kvh === h
        ? [cache.keys[i]!, cache.values[i]!]
        : [repeat(cache.keys[i]!), repeat(cache.values[i]!)];
    let scores = tf.mul(tf.matMul(qh, tf.transpose(kh, [0, 1, 3, 2])), 1 / Math.sqrt(dh));
    if (s > 1) {
      // New token j (position start + j) sees keys 0..start + j.
      const allowed = tf.linalg.bandPart(tf.ones([s, total]), -1, start);
      scores = tf.add(scores, tf.mul(tf.sub(1, allowed), -1e9));
    }
    const context = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), vh), [0, 2, 1, 3]), [
      1,
      s,
      h * dh,
    ]);
    const a = tf.add(x, dense(context, param(params, `${i}.o.w`), params.tensors.get(`${i}.o.b`)));
    return tf.add(a, mlp(params, i, blockNorm(params, i, a, 'ln2') as Tensor3D)) as Tensor3D;
  });
  qh.dispose();
  return out;
}

/**
 * CALM's state propagation (Schuster et al. 2022): a token that exited after some block hands its
 * hidden state x [1, 1, D] to every later block i as input, so only their keys and values at its
 * position are computed (from x), not their attention or MLP.
 */
export function propagateState(
  params: DecoderParams,
  i: number,
  x: Tensor3D,
  cache: KvCache,
): void {
  const [k, v] = tf.tidy(() => project(params, i, x, cache.length).slice(1));
  append(cache, i, k, v);
}

/** Token embeddings (+ GPT-2's learned positions) of ids at positions start…: [1, S, D]. */
export function embedAt(params: DecoderParams, ids: number[], start: number): Tensor3D {
  const c = params.config;
  const s = ids.length;
  if (c.family === 'gpt2' && start + s > c.maxPositions)
    throw new Error(
      `decoder cache: position ${start + s - 1}, expected positions below n_positions = ${c.maxPositions}`,
    );
  return tf.tidy(() => {
    const flat = tf.tensor1d(ids, 'int32');
    const table = params.tensors.get('wte');
    // A tied table is held once, as the vocabulary projection [D, V]: its columns are the embeddings.
    const rows = table
      ? tf.gather(table, flat)
      : tf.transpose(tf.gather(param(params, 'unembed'), flat, 1));
    const tokens = tf.reshape(rows, [1, s, c.hiddenSize]);
    if (c.family !== 'gpt2') return tokens as Tensor3D;
    return tf.add(
      tokens,
      tf.slice(param(params, 'wpe'), [start, 0], [s, c.hiddenSize]),
    ) as Tensor3D;
  });
}
