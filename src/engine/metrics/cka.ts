import type { Tensor2D } from '../tf';
import { debiasedCkaFromStats, linearCkaFromStats, minibatchCkaFromStats } from './ckaFromStats';
import { linearKernelStats, type KernelPath } from './linearKernelStats';
import type { MetricMatrix } from './types';
import { assertFinite, checkLayerShapes } from './validate';

/** Options shared by the linear-kernel CKAs; `path` forces how pairs are formed (for tests). */
export interface LinearCkaOptions {
  path?: KernelPath;
}

/** The unbiased HSIC estimator needs at least 4 samples (its normaliser is n(n−3)). */
export const MIN_UNBIASED_SAMPLES = 4;

/**
 * Linear CKA between every pair of layers (Kornblith et al. 2019, eq. 5), X, Y with centred
 * columns: CKA = ‖YᵀX‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F). Widths may differ. Each layer is centred and
 * transposed once; each pair l ≤ m costs one product, in feature space (D_l×D_m) or, when that
 * is cheaper (N small against D), through Gram matrices (⟨K_l, K_m⟩ = ‖X_lᵀX_m‖²_F).
 * A zero-variance layer (all rows equal) gets null entries and a note. Inputs are not disposed.
 *
 * @param layers one [N, D_l] float32 tensor per layer, the same N samples in the same order.
 */
export async function linearCkaMatrix(
  layers: readonly Tensor2D[],
  options: LinearCkaOptions = {},
): Promise<MetricMatrix> {
  checkLayerShapes(layers, 'linear CKA');
  await assertFinite(layers, 'linear CKA');
  const stats = await linearKernelStats(layers, { path: options.path });
  return linearCkaFromStats(stats.batches[0]);
}

/** Throws, naming the estimator, the N it got and the N it needs, when N is too small. */
export function checkUnbiasedSamples(n: number, name: string): void {
  if (n < MIN_UNBIASED_SAMPLES) {
    throw new Error(`${name} needs at least ${MIN_UNBIASED_SAMPLES} samples, got ${n}`);
  }
}

/**
 * Debiased CKA between every pair of layers: the CKA ratio built from the unbiased HSIC
 * estimator of Song et al. (2012), equivalently from Székely–Rizzo U-centred Gram matrices:
 * CKA = HSIC₁(K,L) / sqrt(HSIC₁(K,K) HSIC₁(L,L)), linear kernels (see unbiasedHsic for the
 * feature-space form used). Needs N ≥ 4; can be negative. Null entries, with a note, for a layer
 * whose HSIC₁ with itself is not positive (zero variance). Inputs are not disposed.
 */
export async function debiasedCkaMatrix(
  layers: readonly Tensor2D[],
  options: LinearCkaOptions = {},
): Promise<MetricMatrix> {
  const n = checkLayerShapes(layers, 'debiased CKA');
  checkUnbiasedSamples(n, 'debiased CKA');
  await assertFinite(layers, 'debiased CKA');
  const stats = await linearKernelStats(layers, { path: options.path });
  return debiasedCkaFromStats(stats.batches[0]);
}

export interface MinibatchCkaOptions extends LinearCkaOptions {
  /** Rows per batch (≥ 4); batches are consecutive chunks in input order. */
  batchSize: number;
}

/** Checks a minibatch size from the user (CLI flag, page setting). */
export function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < MIN_UNBIASED_SAMPLES) {
    throw new Error(
      `minibatch CKA: batch size ${batchSize} is not allowed, expected an integer ≥ ${MIN_UNBIASED_SAMPLES}`,
    );
  }
}

/**
 * Minibatch CKA (Nguyen, Raghu & Kornblith 2021, eq. 3): batches are consecutive chunks of
 * `batchSize` rows in input order; a final chunk of fewer than 4 rows is skipped. The three
 * unbiased HSIC terms HSIC₁(K,L), HSIC₁(K,K), HSIC₁(L,L) are averaged over the batches separately,
 * then CKA = mean HSIC₁(K,L) / sqrt(mean HSIC₁(K,K) · mean HSIC₁(L,L)) — not a mean of per-batch
 * CKAs. Memory is O(batch): no N×N matrix is formed. Needs N ≥ 4. Inputs are not disposed.
 */
export async function minibatchCkaMatrix(
  layers: readonly Tensor2D[],
  options: MinibatchCkaOptions,
): Promise<MetricMatrix> {
  const n = checkLayerShapes(layers, 'minibatch CKA');
  checkUnbiasedSamples(n, 'minibatch CKA');
  checkBatchSize(options.batchSize);
  await assertFinite(layers, 'minibatch CKA');
  const stats = await linearKernelStats(layers, options);
  return minibatchCkaFromStats(stats.batches, options.batchSize, stats.skippedRows);
}
