import { tf } from '../tf';
import type { Tensor, Tensor2D } from '../tf';
import { emptyMatrix, layerName, type MetricMatrix } from './types';
import { assertFinite, checkLayerShapes } from './validate';

/** Throws unless every layer has the width of layer 0 (cosine compares vectors entry by entry). */
export function checkEqualWidths(widths: readonly number[]): void {
  const l = widths.findIndex((d) => d !== widths[0]);
  if (l >= 0) {
    throw new Error(
      `cosine needs equal widths: ${layerName(0)} has ${widths[0]}, ${layerName(l)} has ${widths[l]}`,
    );
  }
}

/**
 * Rows scaled to unit length, zero rows left at zero, and which rows are zero (1, else 0; [N]).
 * Each row is first divided by its largest |entry|, so the squared norm neither underflows nor
 * overflows in float32.
 */
export function unitRows(x: Tensor2D): { unit: Tensor2D; zeroRows: Tensor } {
  return tf.tidy(() => {
    const peak = tf.max(tf.abs(x), 1, true); // [N, 1]
    const isZero = tf.equal(peak, 0);
    const scaled = tf.div(x, tf.where(isZero, tf.onesLike(peak), peak)); // [N, D]
    const norm = tf.sqrt(tf.sum(tf.square(scaled), 1, true)); // [N, 1]
    const unit = tf.div(scaled, tf.where(isZero, tf.onesLike(norm), norm)) as Tensor2D;
    return { unit, zeroRows: tf.reshape(tf.cast(isZero, 'float32'), [-1]) };
  });
}

/**
 * Sample-wise cosine similarity between every pair of layers (docs/design.md §3; Jiang, Zhou & Zhu,
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
  checkEqualWidths(layers.map((x) => x.shape[1]));
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
    parts.push(tf.stack(rows.map((r) => tf.sum(r.zeroRows)))); // [k]
    return tf.concat(parts);
  });
  // sync point: the per-row dot products of every pair, summed below in float64.
  const data = await flat.data();
  flat.dispose();
  const dots = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let at = 0;
  for (let l = 0; l < k; l++) {
    for (let m = l; m < k; m++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += data[at + i];
      at += n;
      dots[l][m] = dots[m][l] = s;
    }
  }
  return cosineFromSums({ dots, zeros: Array.from(data.subarray(at, at + k)) }, n);
}

/** Sums over all N rows from which sample-wise cosine follows. */
export interface CosineSums {
  /** dots[l][m] = Σ_i ⟨u_i^l, u_i^m⟩ over unit rows (0 for a zero row), symmetric. */
  dots: number[][];
  /** Rows of each layer that are zero vectors. */
  zeros: number[];
}

/** COS(l,m) = dots[l][m] / N, with a note for each layer that has zero rows. */
export function cosineFromSums({ dots, zeros }: CosineSums, n: number): MetricMatrix {
  const k = dots.length;
  const values = emptyMatrix(k);
  for (let l = 0; l < k; l++) for (let m = 0; m < k; m++) values[l][m] = dots[l][m] / n;
  const notes: string[] = [];
  zeros.forEach((count, l) => {
    if (count > 0) {
      notes.push(
        `${layerName(l)}: ${count} of ${n} rows are zero vectors; each adds 0 to the mean over ` +
          `${n} samples, so COS(${layerName(l)}, ${layerName(l)}) = ${(n - count) / n}`,
      );
    }
  });
  return { metric: 'cosine', values, notes };
}
