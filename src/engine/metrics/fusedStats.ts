import { betweenBatches } from '../tasks';
import type { Tensor2D } from '../tf';
import { COSINE_ROWS, cosineSumsOnGpu } from '../webgpu/cosineKernel';
import { nonFiniteCountsOnGpu } from '../webgpu/finiteKernel';
import { kernelStatsOnGpu, tilesPerPair, type BatchGroup } from '../webgpu/kernelStatsKernels';
import { packLayers, type PackedLayers } from '../webgpu/packedLayers';
import { MAX_GROUPS, onWebGpu } from '../webgpu/program';
import type { CosineSums } from './cosine';
import {
  GROUP_BUDGET,
  parseBatch,
  type BatchKernelStats,
  type KernelStats,
  type KernelStatsOptions,
} from './linearKernelStats';
import type { SimilarityMetric } from './types';
import { nonFiniteError } from './validate';

// The similarity statistics on WebGPU from Strata's own WGSL programs (src/engine/webgpu/): a few
// dispatches for all layers and pairs together, where tfjs's generic kernels take a product, an
// elementwise op and a reduction per pair. The host finishes every sum in float64, as on wasm.

/**
 * The layers packed for the programs below when the backend is WebGPU and a metric uses them
 * (cosine, linear, debiased or minibatch CKA), else null. The caller disposes it.
 */
export function packForFusedStats(
  layers: readonly Tensor2D[],
  wanted: readonly SimilarityMetric[],
): PackedLayers | null {
  const uses = wanted.some((m) => m === 'cosine' || (m.startsWith('cka') && m !== 'cka-rbf'));
  // The programs index the packed buffer with 32-bit integers.
  const values = layers.reduce((sum, x) => sum + x.size, 0);
  return onWebGpu() && uses && values < 2 ** 31 ? packLayers(layers) : null;
}

/**
 * How many more multiply-adds the fused feature-space statistics may cost than the Gram path
 * before the Gram path (tfjs's kernels, 3 dispatches a pair) is taken: on a GPU a dispatch costs
 * more than arithmetic, so the fused path is taken unless n is far below the widths.
 */
const FEATURE_EXCESS = 16;

/**
 * Whether the fused kernel statistics apply to batches of `batchSize` rows (all N by default):
 * pairs within a dispatch's limits, and the feature-space products at most FEATURE_EXCESS times
 * the Gram path's n²·(Σ_l D_l + P) (choosePath weighs the same sums for wasm).
 */
export function fusedKernelStatsApply(layers: readonly Tensor2D[], batchSize?: number): boolean {
  const widths = layers.map((x) => x.shape[1]);
  const k = widths.length;
  const pairs = (k * (k + 1)) / 2;
  const n = Math.min(batchSize ?? layers[0].shape[0], layers[0].shape[0]);
  let feature = 0;
  for (let l = 0; l < k; l++) for (let m = l; m < k; m++) feature += widths[l] * widths[m];
  const gram = n * (widths.reduce((a, b) => a + b, 0) + pairs);
  return pairs <= MAX_GROUPS && feature <= FEATURE_EXCESS * gram;
}

/** Throws naming the first layer that holds NaN or ±∞: one dispatch, one readback. */
export async function assertFinitePacked(packed: PackedLayers, where: string): Promise<void> {
  const { counts, chunks } = nonFiniteCountsOnGpu(packed);
  // sync point: the counts per layer, before any heavy work is spent on bad input.
  const values = await counts.data();
  counts.dispose();
  for (let l = 0; l < packed.widths.length; l++) {
    let bad = 0;
    for (let c = 0; c < chunks; c++) bad += values[l * chunks + c];
    if (bad > 0) throw nonFiniteError(where, l, bad);
  }
}

/** The sums of sample-wise cosine (cosineFromSums) of equal-width packed layers. */
export async function packedCosineSums(packed: PackedLayers): Promise<CosineSums> {
  const k = packed.widths.length;
  const chunks = Math.ceil(packed.n / COSINE_ROWS);
  const flat = cosineSumsOnGpu(packed);
  // sync point: per pair, one dot-product sum and one zero-row count per chunk of rows.
  const values = await flat.data();
  flat.dispose();
  const dots = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const zeros = new Array<number>(k).fill(0);
  packed.pairs.forEach(([l, m], p) => {
    let s = 0;
    let z = 0;
    for (let c = 0; c < chunks; c++) {
      s += values[2 * (p * chunks + c)];
      z += values[2 * (p * chunks + c) + 1];
    }
    dots[l][m] = dots[m][l] = s;
    if (l === m) zeros[l] = z;
  });
  return { dots, zeros };
}

/** Batches [rowStart + b·n, …) for b < batches: three dispatches, one readback. */
async function runGroup(packed: PackedLayers, group: BatchGroup): Promise<BatchKernelStats[]> {
  const tiles = tilesPerPair(packed.widths);
  const flat = kernelStatsOnGpu(packed, group);
  // sync point: one readback per group of batches; the host finishes the sums in float64.
  const values = (await flat.data()) as Float32Array;
  flat.dispose();
  const per = values.length / group.batches;
  return Array.from({ length: group.batches }, (_, b) =>
    parseBatch(values.subarray(b * per, (b + 1) * per), group.n, packed.widths, () => tiles),
  );
}

/**
 * linearKernelStats (feature path) of packed layers: the same batches (consecutive chunks of
 * `batchSize` rows, a final chunk under 4 rows skipped), a group of batches per three dispatches.
 */
export async function packedKernelStats(
  packed: PackedLayers,
  options: Pick<KernelStatsOptions, 'batchSize' | 'groupFloats' | 'signal'> = {},
): Promise<KernelStats> {
  const total = packed.n;
  const size = options.batchSize ?? total;
  const full = Math.floor(total / size);
  const rest = total - full * size;
  const k = packed.widths.length;
  const perBatch = packed.pairs.length * tilesPerPair(packed.widths) + k * size;
  const budget = options.groupFloats ?? GROUP_BUDGET;
  const perGroup = Math.min(MAX_GROUPS, Math.max(1, Math.floor(budget / perBatch)));
  const batches: BatchKernelStats[] = [];
  for (let b = 0; b < full; b += perGroup) {
    await betweenBatches(options.signal, 'CKA statistics');
    const group = { rowStart: b * size, n: size, batches: Math.min(perGroup, full - b) };
    batches.push(...(await runGroup(packed, group)));
  }
  const keepRest = rest >= 4;
  if (keepRest) {
    await betweenBatches(options.signal, 'CKA statistics');
    batches.push(...(await runGroup(packed, { rowStart: full * size, n: rest, batches: 1 })));
  }
  return { batches, skippedRows: keepRest ? 0 : rest };
}
