import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { betweenBatches } from '../tasks';
import { centreColumns } from './centre';
import { unitRows } from './cosine';

/** Neighbours per sample of mutual k-NN when none is given (Huh et al. 2024 use 10). */
export const DEFAULT_KNN_K = 10;
/** Similarities held at once while finding neighbours: a block of rows × N, 16 MB of float32. */
export const KNN_BLOCK_FLOATS = 1 << 22;

/** Throws unless 1 ≤ k ≤ N − 1 (a sample is never its own neighbour). */
export function checkKnnK(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 1 || k > n - 1) {
    throw new Error(
      `mutual k-NN: k = ${k} is not allowed with ${n} samples, expected 1 … ${n - 1}`,
    );
  }
}

/**
 * Each sample's k nearest other samples by cosine, in the centred layer (rows L2-normalised;
 * a zero row is at cosine 0 from all): row-major [N, k] sample indices, nearest first. Found a
 * block of rows at a time (`blockFloats` similarities at most), so memory does not grow
 * with N². The input is not disposed.
 */
export async function nearestNeighbours(
  x: Tensor2D,
  k: number,
  signal?: AbortSignal,
  blockFloats = KNN_BLOCK_FLOATS,
): Promise<Int32Array> {
  const n = x.shape[0];
  checkKnnK(k, n);
  const { unit, unitT } = tf.tidy(() => {
    const u = unitRows(centreColumns(x)).unit; // [N, D]
    return { unit: u, unitT: tf.transpose(u) as Tensor2D }; // [D, N]: explicit, fast on wasm
  });
  const out = new Int32Array(n * k);
  const block = Math.max(1, Math.min(n, Math.floor(blockFloats / n)));
  try {
    for (let start = 0; start < n; start += block) {
      await betweenBatches(signal, 'mutual k-NN');
      const b = Math.min(block, n - start);
      const idx = tf.tidy(() => {
        const sims = tf.matMul(tf.slice(unit, [start, 0], [b, -1]), unitT); // [b, N]
        const self = tf.oneHot(tf.range(start, start + b, 1, 'int32'), n); // [b, N]
        return tf.topk(tf.sub(sims, tf.mul(self, 4)), k).indices; // [b, k]; cosine ≥ −1 > 1 − 4
      });
      // sync point: this block's neighbour lists.
      out.set(await idx.data(), start * k);
      idx.dispose();
    }
  } finally {
    unit.dispose();
    unitT.dispose();
  }
  return out;
}

/**
 * Mutual k-NN alignment (Huh et al. 2024, "The Platonic Representation Hypothesis"):
 * (1/N) Σ_i |N_k^X(i) ∩ N_k^Y(i)| / k, from the neighbour lists of nearestNeighbours.
 */
export function mutualKnnFromLists(a: Int32Array, b: Int32Array, n: number, k: number): number {
  let shared = 0;
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      const x = a[i * k + s];
      for (let t = 0; t < k; t++) {
        if (b[i * k + t] === x) {
          shared++;
          break;
        }
      }
    }
  }
  return shared / (n * k);
}
