import { tf } from '../tf';
import { betweenBatches } from '../tasks';
import type { Tensor, Tensor2D } from '../tf';
import { centreColumns } from './centre';
import type { LayerRows } from './layerRows';

/**
 * Statistics of the centred linear kernels K_l = X_l X_lᵀ of one batch of n rows, from which linear,
 * debiased and minibatch CKA all follow. Sums are finished in float64 on the host.
 */
export interface BatchKernelStats {
  n: number;
  /** cross[l][m] = ⟨K_l, K_m⟩ = ‖X_lᵀX_m‖²_F, symmetric (each pair computed once). */
  cross: number[][];
  /** rowSum[l] = Σ_i ‖x_i^l‖² = tr K_l. */
  rowSum: number[];
  /** rowDot[l][m] = Σ_i ‖x_i^l‖² ‖x_i^m‖² = Σ_i (K_l)_ii (K_m)_ii, symmetric. */
  rowDot: number[][];
}

/** How one batch's ⟨K_l, K_m⟩ are formed: feature space (D×D products) or Gram matrices (n×n). */
export type KernelPath = 'feature' | 'gram';

export interface KernelStatsOptions {
  /** Consecutive chunks of this many rows; absent: one batch of all N rows. */
  batchSize?: number;
  /** Force a path (tests); by default the cheaper one for the sizes is taken. */
  path?: KernelPath;
  /** Floats read back at most per group of batches (tests); default GROUP_BUDGET. */
  groupFloats?: number;
  /** Stops between batches with a TaskAbortedError (tasks.ts). */
  signal?: AbortSignal;
}

export interface KernelStats {
  batches: BatchKernelStats[];
  /** Rows of a final chunk under 4 rows that was left out (minibatch only), else 0. */
  skippedRows: number;
}

/** Floats read back at most per group of batches (each batch's device work is O(batch)). */
export const GROUP_BUDGET = 1 << 22;
/** Largest k·n² (floats) the Gram path may hold at once. */
const GRAM_LIMIT = 1 << 26;
/**
 * An elementwise multiply-and-sum costs about this many matmul multiply-adds (wasm, measured:
 * 91 products of 1024×1024 Grams took 85 ms, 91 matmuls of 128×1024×128 took 142 ms).
 */
const ELEMENTWISE_COST = 10;

/** Picks the path with fewer operations: n·Σ_{l≤m} D_l D_m against n²·(Σ_l D_l + c·pairs). */
export function choosePath(n: number, widths: readonly number[]): KernelPath {
  const k = widths.length;
  let feature = 0;
  for (let l = 0; l < k; l++) for (let m = l; m < k; m++) feature += widths[l] * widths[m];
  const total = widths.reduce((a, b) => a + b, 0);
  const gram = n * (total + (ELEMENTWISE_COST * k * (k + 1)) / 2);
  return gram < feature && k * n * n <= GRAM_LIMIT ? 'gram' : 'feature';
}

/**
 * Rows [start, start + n) of every layer, as tensors the caller disposes.
 * Host layers are uploaded batch by batch (the whole layer never reaches the device); device
 * layers are cut on the device. On wasm a row range is taken with gather, not slice:
 * tfjs-backend-wasm's Slice kernel reads the whole input back first, so slicing every batch out of
 * N rows is quadratic in N (W4 in bench/RESULTS.md: 524 ms against 36 ms per batch at N = 60,000).
 */
export type RowSource = (start: number, n: number) => Promise<Tensor2D[]>;

/** A RowSource over tensors already on the device (the whole range as clones: no copy). */
export function deviceRows(layers: readonly Tensor2D[]): RowSource {
  const total = layers[0].shape[0];
  return async (start, n) =>
    tf.tidy(() => {
      if (start === 0 && n === total) return layers.map((x) => tf.clone(x));
      if (tf.getBackend() !== 'wasm') return layers.map((x) => tf.slice(x, [start, 0], [n, -1]));
      const rows = tf.range(start, start + n, 1, 'int32');
      return layers.map((x) => tf.gather(x, rows));
    });
}

/**
 * A RowSource that reads each batch's rows from `rows` (memory or a file) and uploads them,
 * each layer multiplied by its scale (a power of two: exact): no copy of a whole layer.
 */
export function layerRowSource(rows: LayerRows, scales?: readonly number[]): RowSource {
  return async (start, n) => {
    const arrays: Float32Array[] = [];
    for (let l = 0; l < rows.widths.length; l++) arrays.push(await rows.read(l, start, n));
    return tf.tidy(() =>
      arrays.map((a, l) => {
        const x = tf.tensor2d(a, [n, rows.widths[l]]);
        return scales && scales[l] !== 1 ? (tf.mul(x, scales[l]) as Tensor2D) : x;
      }),
    );
  };
}

/**
 * The pieces one batch reads back, from its rows on the device:
 * feature path: per pair l ≤ m, Σ_a (X_lᵀX_m)²_ab as [D_m];
 * Gram path: per pair l ≤ m, Σ_j (K_l)_ij (K_m)_ij as [n];
 * then per l the squared row norms [n].
 * Batches run one by one as 2-D ops: on wasm a batched (3-D) matMul is several times slower.
 */
function batchOnDevice(xs: readonly Tensor2D[], path: KernelPath): Tensor[] {
  return tf.tidy(() => {
    const centred = xs.map(centreColumns); // [n, D_l]
    // Explicit transposes, once per layer: on wasm a matMul with transpose flags is 10-15× slower.
    const transposed = centred.map((c) => tf.transpose(c)); // [D_l, n]
    const k = xs.length;
    const parts: Tensor[] = [];
    if (path === 'feature') {
      for (let l = 0; l < k; l++) {
        for (let m = l; m < k; m++) {
          parts.push(tf.tidy(() => tf.sum(tf.square(tf.matMul(transposed[l], centred[m])), 0)));
        }
      }
    } else {
      const grams = centred.map((c, l) => tf.matMul(c, transposed[l])); // [n, n]
      for (let l = 0; l < k; l++) {
        for (let m = l; m < k; m++)
          parts.push(tf.tidy(() => tf.sum(tf.mul(grams[l], grams[m]), 1)));
      }
    }
    centred.forEach((c) => parts.push(tf.sum(tf.square(c), 1))); // [n]
    return parts;
  });
}

function square(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

/**
 * Finishes one batch's sums in float64: per pair l ≤ m, `pairFloats(m)` values summing to
 * ⟨K_l, K_m⟩, then per layer the squared norms of its n centred rows (see batchOnDevice).
 */
export function parseBatch(
  flat: Float32Array,
  n: number,
  widths: readonly number[],
  pairFloats: (m: number) => number,
): BatchKernelStats {
  const k = widths.length;
  const out: BatchKernelStats = { n, cross: square(k), rowSum: [], rowDot: square(k) };
  let at = 0;
  const sum = (length: number) => {
    let s = 0;
    for (let i = 0; i < length; i++) s += flat[at + i];
    at += length;
    return s;
  };
  for (let l = 0; l < k; l++) {
    for (let m = l; m < k; m++) {
      out.cross[l][m] = out.cross[m][l] = sum(pairFloats(m));
    }
  }
  const norms = widths.map((_, l) => flat.subarray(at + l * n, at + (l + 1) * n));
  for (let l = 0; l < k; l++) {
    const r = norms[l];
    out.rowSum.push(sum(n));
    for (let m = l; m < k; m++) {
      const q = norms[m];
      let d = 0;
      for (let i = 0; i < n; i++) d += r[i] * q[i];
      out.rowDot[l][m] = out.rowDot[m][l] = d;
    }
  }
  return out;
}

/** Floats one batch of n rows reads back (see batchOnDevice). */
function floatsPerBatch(n: number, widths: readonly number[], path: KernelPath): number {
  const k = widths.length;
  let pairs = 0;
  for (let l = 0; l < k; l++) for (let m = l; m < k; m++) pairs += path === 'gram' ? n : widths[m];
  return pairs + k * n;
}

/** Batches [start + b·n, start + (b+1)·n) for b < g, one after the other, read back once. */
async function runGroup(
  rows: RowSource,
  widths: readonly number[],
  start: number,
  g: number,
  n: number,
  path: KernelPath,
  signal?: AbortSignal,
): Promise<BatchKernelStats[]> {
  const parts: Tensor[] = [];
  let flat: Tensor;
  try {
    for (let b = 0; b < g; b++) {
      await betweenBatches(signal, 'CKA statistics');
      // Each batch's rows live only as long as its own products.
      const xs = await rows(start + b * n, n);
      try {
        for (const part of batchOnDevice(xs, path)) parts.push(part);
      } finally {
        xs.forEach((x) => x.dispose());
      }
    }
    flat = tf.concat(parts);
  } finally {
    parts.forEach((p) => p.dispose());
  }
  // sync point: one readback per group of batches; the host finishes the sums in float64.
  const values = (await flat.data()) as Float32Array;
  flat.dispose();
  const per = values.length / g;
  return Array.from({ length: g }, (_, b) =>
    parseBatch(values.subarray(b * per, (b + 1) * per), n, widths, (m) =>
      path === 'feature' ? widths[m] : n,
    ),
  );
}

/**
 * Centred linear-kernel statistics of every layer and every pair of layers, per batch.
 * Each layer is centred and transposed once per batch; each pair l ≤ m costs one product
 * (feature path: the matmul X_lᵀX_m; Gram path: the elementwise product K_l ∘ K_m).
 * Batches are consecutive chunks of `batchSize` rows; a final chunk of fewer than 4 rows is
 * skipped (the unbiased estimator needs n ≥ 4). Inputs must have passed checkLayerShapes.
 */
export async function linearKernelStats(
  layers: readonly Tensor2D[],
  options: KernelStatsOptions = {},
): Promise<KernelStats> {
  const widths = layers.map((x) => x.shape[1]);
  return kernelStatsOfRows(deviceRows(layers), layers[0].shape[0], widths, options);
}

/**
 * linearKernelStats over rows that arrive batch by batch from `rows` (host memory, a generator):
 * the device holds one group of batches at a time, so memory is O(batch), whatever the total.
 */
export async function kernelStatsOfRows(
  rows: RowSource,
  total: number,
  widths: readonly number[],
  options: KernelStatsOptions = {},
): Promise<KernelStats> {
  const size = options.batchSize ?? total;
  const full = Math.floor(total / size);
  const rest = total - full * size;
  const batches: BatchKernelStats[] = [];
  if (full > 0) {
    const path = options.path ?? choosePath(size, widths);
    const budget = options.groupFloats ?? GROUP_BUDGET;
    const perGroup = Math.max(1, Math.floor(budget / floatsPerBatch(size, widths, path)));
    for (let b = 0; b < full; b += perGroup) {
      const g = Math.min(perGroup, full - b);
      batches.push(...(await runGroup(rows, widths, b * size, g, size, path, options.signal)));
    }
  }
  const keepRest = rest >= 4;
  if (keepRest) {
    const path = options.path ?? choosePath(rest, widths);
    batches.push(...(await runGroup(rows, widths, full * size, 1, rest, path, options.signal)));
  }
  return { batches, skippedRows: keepRest ? 0 : rest };
}
