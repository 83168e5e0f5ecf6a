import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { layerName } from './types';

/**
 * Checks the input convention shared by every similarity metric: a non-empty list of float32
 * [N, D_l] tensors with the same N (rows are samples). Returns N.
 */
export function checkLayerShapes(layers: readonly Tensor2D[], where: string): number {
  if (layers.length === 0) throw new Error(`${where}: no layers given, expected at least one`);
  const n = layers[0].shape[0];
  if (n === 0)
    throw new Error(`${where}: ${layerName(0)} has no rows, expected at least one sample`);
  layers.forEach((x, l) => {
    if (x.rank !== 2) {
      throw new Error(`${where}: ${layerName(l)} has shape [${x.shape}], expected [N, D]`);
    }
    if (x.dtype !== 'float32') {
      throw new Error(`${where}: ${layerName(l)} has dtype ${x.dtype}, expected float32`);
    }
    if (x.shape[0] !== n) {
      throw new Error(
        `${where}: ${layerName(l)} has ${x.shape[0]} rows but ${layerName(0)} has ${n}; ` +
          'every layer needs one row per sample, the same samples',
      );
    }
    if (x.shape[1] === 0) throw new Error(`${where}: ${layerName(l)} has width 0`);
  });
  return n;
}

/**
 * Throws naming the first layer that holds a NaN or an infinity. One readback for all layers.
 * Each layer is tested on its own as Σ 0·x, which is NaN exactly when some x is NaN or ±∞:
 * one float temporary of one layer at a time (an isFinite/cast per element of every layer at
 * once grew the wasm heap by 1.4× the input at 60,000 rows, W4 in bench/RESULTS.md). The
 * count for the message is only taken for a layer that failed.
 */
export async function assertFinite(layers: readonly Tensor2D[], where: string): Promise<void> {
  const probes = tf.tidy(() =>
    tf.stack(layers.map((x) => tf.tidy(() => tf.sum(tf.mul(x, tf.scalar(0)))))),
  );
  // sync point: one scalar per layer, before any heavy work is spent on bad input.
  const sums = await probes.data();
  probes.dispose();
  const l = sums.findIndex((s) => s !== 0);
  if (l < 0) return;
  const count = tf.tidy(() => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(layers[l])), 'float32')));
  // sync point: the error path only.
  const bad = (await count.data())[0];
  count.dispose();
  throw nonFiniteError(where, l, bad);
}

/** The error for layer l holding `count` NaN or infinite values. */
export function nonFiniteError(where: string, l: number, count: number): Error {
  return new Error(
    `${where}: ${layerName(l)} contains ${count} NaN or infinite values; expected finite numbers`,
  );
}
