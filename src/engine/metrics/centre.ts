import { tf } from '../tf';
import type { Tensor2D } from '../tf';

/** Column means as a [1, N]×[N, D] product: on wasm this is ~10× faster than mean(x, 0). */
function columnMeans(x: Tensor2D): Tensor2D {
  return tf.matMul(tf.fill([1, x.shape[0]], 1 / x.shape[0]), x); // [1, D]
}

/**
 * X with centred columns, computed to limit float32 rounding: first shifted by its first row
 * (so a layer of equal rows becomes exactly 0), then centred twice — the second pass removes
 * what rounding left of the column means, which the feature-space HSIC formulas assume is 0.
 */
export function centreColumns(x: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const shifted = tf.sub(x, tf.slice(x, [0, 0], [1, -1])) as Tensor2D; // [N, D]
    const once = tf.sub(shifted, columnMeans(shifted)) as Tensor2D;
    return tf.sub(once, columnMeans(once)) as Tensor2D;
  });
}
