import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { betweenBatches } from '../tasks';
import { centreColumns } from './centre';
import { unitRows } from './cosine';

/** Neighbours per sample of mutual k-NN when none is given (Huh et al. 2024 use 10). */
export const DEFAULT_KNN_K = 10;
/**
 * Samples per tile of the neighbour search: a tile × tile block of similarities (4 MB of float32)
 * at a time. Smaller tiles skip more of the lower triangle but lose it again to per-op overhead
 * on wasm (512 was slower than the whole-row search, 1,024 faster).
 */
export const KNN_TILE = 1024;

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
 * a zero row is at cosine 0 from all): row-major [N, k] sample indices, nearest first, ties to
 * the lower index. Cosine is symmetric, so only the tiles on and above the diagonal are
 * computed (one matmul of normalised rows each: about half the products of the whole N × N);
 * each tile's top k of every row and, transposed, of every column are picked on the device and
 * only they are read back, then merged into each sample's candidates on the host. Memory is one
 * tile and the N × k candidates, not N². The input is not disposed.
 */
export async function nearestNeighbours(
  x: Tensor2D,
  k: number,
  signal?: AbortSignal,
  tile = KNN_TILE,
): Promise<Int32Array> {
  const n = x.shape[0];
  checkKnnK(k, n);
  const starts: number[] = [];
  for (let s = 0; s < n; s += tile) starts.push(s);
  const size = (t: number) => Math.min(tile, n - starts[t]);
  const { rows, cols } = tf.tidy(() => {
    const unit = unitRows(centreColumns(x)).unit; // [N, D]
    const r = starts.map((s, t) => tf.slice(unit, [s, 0], [size(t), -1]) as Tensor2D); // [b, D]
    return { rows: r, cols: r.map((b) => tf.transpose(b) as Tensor2D) }; // [D, b]: fast on wasm
  });
  const nearest = neighbourCandidates(n, k);
  try {
    for (let i = 0; i < starts.length; i++) {
      for (let j = i; j < starts.length; j++) {
        await betweenBatches(signal, 'mutual k-NN');
        const [si, sj, bi, bj] = [starts[i], starts[j], size(i), size(j)];
        const picked = tf.tidy(() => {
          let sims = tf.matMul(rows[i], cols[j]); // [b_i, b_j]
          // On the diagonal a sample meets itself: cosine ≥ −1 > 1 − 4 puts it last.
          if (i === j) sims = tf.sub(sims, tf.mul(tf.eye(bi), 4));
          const byRow = tf.topk(sims, Math.min(k, bj)); // [b_i, k]
          if (i === j) return [byRow.values, byRow.indices];
          const byCol = tf.topk(tf.transpose(sims), Math.min(k, bi)); // [b_j, k]
          return [byRow.values, byRow.indices, byCol.values, byCol.indices];
        });
        // sync point: each row's and column's best k of this tile.
        const data = await Promise.all(picked.map((t) => t.data()));
        picked.forEach((t) => t.dispose());
        offerTile(nearest, data[0], data[1], si, sj, bi);
        if (i !== j) offerTile(nearest, data[2], data[3], sj, si, bj);
      }
    }
  } finally {
    rows.forEach((t) => t.dispose());
    cols.forEach((t) => t.dispose());
  }
  return nearest.indices;
}

/**
 * A tile's picks for `count` samples from `from`, among samples from `offset`: [count, kk]
 * values and tile-local indices. Offered in ascending index (tf.topk orders by value), so that
 * equal similarities keep the lower index; a sample is never offered as its own neighbour.
 */
function offerTile(
  nearest: ReturnType<typeof neighbourCandidates>,
  values: ArrayLike<number>,
  indices: ArrayLike<number>,
  from: number,
  offset: number,
  count: number,
): void {
  const kk = values.length / count;
  const order = Array.from({ length: kk }, (_, t) => t);
  for (let r = 0; r < count; r++) {
    const base = r * kk;
    order.sort((p, q) => indices[base + p] - indices[base + q]);
    for (const t of order) {
      const j = offset + indices[base + t];
      if (j !== from + r) nearest.offer(from + r, j, values[base + t]);
    }
  }
}

/**
 * Each of n samples' k best candidates so far, by similarity, largest first: `offer(i, j, v)`
 * proposes sample j at similarity v for sample i. Offered to each sample in ascending j, equal
 * similarities keep the lower index first (as tf.topk); most offers cost one comparison with
 * the k-th best. `indices` is row-major [n, k].
 */
export function neighbourCandidates(
  n: number,
  k: number,
): { offer(i: number, j: number, v: number): void; indices: Int32Array } {
  const values = new Float32Array(n * k);
  const indices = new Int32Array(n * k);
  const filled = new Int32Array(n);
  return {
    indices,
    offer(i, j, v) {
      const base = i * k;
      let pos: number;
      if (filled[i] === k) {
        if (!(v > values[base + k - 1])) return;
        pos = k - 1;
      } else {
        pos = filled[i]++;
      }
      // Strictly smaller ones move down: an equal one came first, so it has the lower index.
      while (pos > 0 && values[base + pos - 1] < v) {
        values[base + pos] = values[base + pos - 1];
        indices[base + pos] = indices[base + pos - 1];
        pos--;
      }
      values[base + pos] = v;
      indices[base + pos] = j;
    },
  };
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
