import { tf } from '../tf';
import type { Tensor, Tensor2D } from '../tf';
import { emptyMatrix, layerName, type MetricMatrix } from './types';
import { assertFinite, checkLayerShapes } from './validate';

/** Throws unless every layer has the width of layer 0 (cosine compares vectors entry by entry). */
export function checkEqualWidths(layers: readonly Tensor2D[]): void {
  const d = layers[0].shape[1];
  const l = layers.findIndex((x) => x.shape[1] !== d);
  if (l >= 0) {
    throw new Error(
      `cosine needs equal widths: ${layerName(0)} has ${d}, ${layerName(l)} has ${layers[l].shape[1]}`,
    );
  }
}

/**
 * Rows scaled to unit length, zero rows left at zero. Each row is first divided by its largest
 * |entry|, so the squared norm neither underflows nor overflows in float32.
 */
function unitRows(x: Tensor2D): { unit: Tensor2D; zero: Tensor } {
  return tf.tidy(() => {
    const peak = tf.max(tf.abs(x), 1, true); // [N, 1]
    const isZero = tf.equal(peak, 0);
    const scaled = tf.div(x, tf.where(isZero, tf.onesLike(peak), peak)); // [N, D]
    const norm = tf.sqrt(tf.sum(tf.square(scaled), 1, true)); // [N, 1]
    const unit = tf.div(scaled, tf.where(isZero, tf.onesLike(norm), norm)) as Tensor2D;
    return { unit, zero: tf.sum(tf.cast(isZero, 'float32')) };
  });
}

/**
 * Sample-wise cosine similarity between every pair of layers (DESIGN.md §1; Jiang, Zhou & Zhu,
 * arXiv 2406.14479, eq. 1): COS(l,m) = (1/N) Σ_i ⟨x_i^l, x_i^m⟩ / (‖x_i^l‖ ‖x_i^m‖).
 * Each layer's rows are normalised once; a pair is then the mean of row-wise dot products.
 * A zero row is reported, not divided by: its term is 0 (the mean still divides by N, so
 * COS(l,l) = 1 − zeros_l/N), and `notes` says how many zero rows each such layer has.
 * Needs equal widths (throws naming both layers otherwise). Inputs are not disposed.
 *
 * @param layers one [N, D] float32 tensor per layer, the same N samples in the same order.
 */
export async function cosineSimilarityMatrix(layers: readonly Tensor2D[]): Promise<MetricMatrix> {
  checkLayerShapes(layers, 'cosine');
  checkEqualWidths(layers);
  await assertFinite(layers, 'cosine');
  return computeCosineMatrix(layers);
}

/** cosineSimilarityMatrix for inputs already checked (shapes, equal widths, finite values). */
export async function computeCosineMatrix(layers: readonly Tensor2D[]): Promise<MetricMatrix> {
  const n = layers[0].shape[0];
  const k = layers.length;
  const flat = tf.tidy(() => {
    const rows = layers.map(unitRows);
    const parts: Tensor[] = [];
    for (let l = 0; l < k; l++) {
      for (let m = l; m < k; m++) {
        parts.push(tf.tidy(() => tf.sum(tf.mul(rows[l].unit, rows[m].unit), 1))); // [N]
      }
    }
    parts.push(tf.stack(rows.map((r) => r.zero))); // [k]
    return tf.concat(parts);
  });
  // sync point: the per-row dot products of every pair, summed below in float64.
  const data = await flat.data();
  flat.dispose();
  const values = emptyMatrix(k);
  let at = 0;
  for (let l = 0; l < k; l++) {
    for (let m = l; m < k; m++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += data[at + i];
      at += n;
      values[l][m] = values[m][l] = s / n;
    }
  }
  const notes: string[] = [];
  for (let l = 0; l < k; l++) {
    const zeros = data[at + l];
    if (zeros > 0) {
      notes.push(
        `${layerName(l)}: ${zeros} of ${n} rows are zero vectors; each adds 0 to the mean over ` +
          `${n} samples, so COS(${layerName(l)}, ${layerName(l)}) = ${(n - zeros) / n}`,
      );
    }
  }
  return { metric: 'cosine', values, notes };
}
