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
 * block of rows at a time (`blockFloats` similarities at most), so memory does not grow with N²:
 * one matmul of normalised rows and tf.topk of k + 1 per row; the sample itself is dropped from
 * those on the host (no N-wide mask on the device: that was a tenth of the time on wasm).
 * The input is not disposed.
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
        return tf.topk(sims, k + 1).indices; // [b, k + 1]; k ≤ N − 1
      });
      // sync point: this block's neighbour lists, the sample itself among them or not.
      const picked = await idx.data();
      idx.dispose();
      for (let r = 0; r < b; r++) dropSelf(picked, r * (k + 1), k, start + r, out, (start + r) * k);
    }
  } finally {
    unit.dispose();
    unitT.dispose();
  }
  return out;
}

/**
 * The k of `picked[from .. from + k]` (k + 1 indices, best first) that are not `self`, in order,
 * written to `out` from `at`: self left out where it is, else the last one (the (k + 1)-th).
 */
export function dropSelf(
  picked: ArrayLike<number>,
  from: number,
  k: number,
  self: number,
  out: Int32Array,
  at: number,
): void {
  let w = 0;
  for (let t = 0; t <= k && w < k; t++) {
    const j = picked[from + t];
    if (j !== self) out[at + w++] = j;
  }
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
