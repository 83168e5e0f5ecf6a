import { tf } from '../tf';
import type { Tensor, Tensor2D } from '../tf';
import type { LinearParams } from './params';

/** Swaps the last two axes: [..., M, N] → [..., N, M]. */
export function swapLastAxes(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

/**
 * C = A·B over the last two axes (batched over leading axes), with its gradient written out:
 * dA = dC·Bᵀ, dB = Aᵀ·dC, both with `transposeA/B` flags rather than Transpose kernels. On wasm,
 * Strata's SIMD kernel reads the transposed operand in place: attention's batched products, and
 * linear layers' 2-D ones, about even with XNNPACK after an explicit transpose product by
 * product, and a training step faster without the transposes (bench/notes-cpu.md).
 */
export const matMul = tf.customGrad((a, b, save) => {
  const [x, y] = [a as Tensor, b as Tensor];
  (save as (t: Tensor[]) => void)([x, y]);
  return {
    value: tf.matMul(x, y),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [xs, ys] = saved;
      return [tf.matMul(dy, ys, false, true), tf.matMul(xs, dy, true, false)];
    },
  };
}) as <T extends Tensor>(a: T, b: Tensor) => T;

/**
 * y = x·W + b over the last axis of x: [..., in] → [..., out], W stored [in, out].
 * Leading axes are flattened into one matmul.
 */
export function linear<T extends Tensor>(x: T, params: LinearParams): T {
  const [inDim, outDim] = params.weight.shape;
  const lead = x.shape.slice(0, -1);
  const rows = tf.reshape(x, [-1, inDim]) as Tensor2D; // [N, in]
  const product = matMul(rows, params.weight); // [N, out]
  const y = params.bias ? tf.add(product, params.bias) : product;
  return tf.reshape(y, [...lead, outDim]) as T; // [..., out]
}
