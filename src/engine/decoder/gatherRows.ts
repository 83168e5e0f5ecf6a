// tf.gather on a 2-D table whose gradient is a scatter-add: tf.gather's own gradient needs
// UnsortedSegmentSum, which the wasm backend of tfjs 4.22 lacks (as model/embeddings.ts does).
import { tf } from '../tf';
import type { GradSaveFunc, Tensor, Tensor1D, Tensor2D } from '../tf';

/**
 * tf.gather(table, indices, axis) for a table [R, C]: axis 0 gives [N, C], axis 1 gives [R, N].
 * The forward value is tf.gather's; the gradient sums the rows (columns) of dy that share an index.
 */
export function gatherRows(table: Tensor2D, indices: Tensor1D, axis: 0 | 1 = 0): Tensor2D {
  const [r, c] = table.shape;
  const n = indices.shape[0];
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [t, save] = args as [Tensor2D, GradSaveFunc];
    save([indices]);
    return {
      value: tf.gather(t, indices, axis) as Tensor2D,
      gradFunc: (dy: Tensor, saved: Tensor[]) =>
        tf.tidy(() => {
          const where = tf.reshape(saved[0], [n, 1]);
          if (axis === 0) return tf.scatterND(where, dy, [r, c]);
          return tf.transpose(tf.scatterND(where, tf.transpose(dy), [c, r]));
        }),
    };
  });
  return op(table) as Tensor2D;
}
