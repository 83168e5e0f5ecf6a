import type { Tensor2D } from '../tf';
import { betweenBatches } from '../tasks';
import { checkBatchSize, checkUnbiasedSamples, MIN_UNBIASED_SAMPLES } from './cka';
import { debiasedCkaFromStats, linearCkaFromStats, minibatchCkaFromStats } from './ckaFromStats';
import { checkEqualWidths, computeCosineMatrix, cosineFromSums } from './cosine';
import {
  assertFinitePacked,
  fusedKernelStatsApply,
  packedCosineSums,
  packedKernelStats,
  packForFusedStats,
} from './fusedStats';
import type { LayerRows } from './layerRows';
import { kernelStatsOfRows, layerRowSource, linearKernelStats } from './linearKernelStats';
import { checkRbfT, computeRbfCkaMatrix, DEFAULT_RBF_T } from './rbfCka';
import {
  checkSpectralSizes,
  CROSS_MEASURES,
  crossMeasureMatrices,
  type CrossMeasure,
} from './crossMeasures';
import { checkKnnK, DEFAULT_KNN_K } from './mutualKnn';
import type { MetricMatrix, SimilarityMetric } from './types';
import { assertFinite, checkLayerShapes } from './validate';

export const SIMILARITY_METRICS: readonly SimilarityMetric[] = [
  'cosine',
  'cka',
  'cka-debiased',
  'cka-minibatch',
  'cka-rbf',
];

/** Every metric a request may name: the defaults above, then Procrustes, SVCCA, mutual k-NN. */
export const ALL_METRICS: readonly SimilarityMetric[] = [...SIMILARITY_METRICS, ...CROSS_MEASURES];

const isCrossMeasure = (m: SimilarityMetric): m is CrossMeasure =>
  (CROSS_MEASURES as readonly string[]).includes(m);

/** Rows per batch of minibatch CKA when none is given. */
export const DEFAULT_MINIBATCH_SIZE = 256;

export interface SimilarityOptions {
  /** Rows per batch for `cka-minibatch` (≥ 4); default DEFAULT_MINIBATCH_SIZE. */
  batchSize?: number;
  /** Bandwidth fraction t of `cka-rbf`; default 0.5. */
  rbfT?: number;
  /** Neighbours of mutual k-NN (`knn`); default 10. */
  knnK?: number;
}

/**
 * The metrics defined for these layers: cosine only when all widths are equal, the unbiased
 * estimators (debiased and minibatch CKA) only with N ≥ 4; linear and RBF CKA always.
 */
export function applicableMetrics(layers: readonly Tensor2D[]): SimilarityMetric[] {
  const n = checkLayerShapes(layers, 'similarity');
  return applicableMetricsFor(
    n,
    layers.map((x) => x.shape[1]),
  );
}

/** applicableMetrics from the shapes alone: N rows, one width per layer. */
export function applicableMetricsFor(n: number, widths: readonly number[]): SimilarityMetric[] {
  const equal = widths.every((d) => d === widths[0]);
  return SIMILARITY_METRICS.filter((metric) => {
    if (metric === 'cosine') return equal;
    if (metric === 'cka-debiased' || metric === 'cka-minibatch') return n >= MIN_UNBIASED_SAMPLES;
    return true;
  });
}

function checkMetricNames(metrics: readonly string[]): SimilarityMetric[] {
  for (const m of metrics) {
    if (!(ALL_METRICS as readonly string[]).includes(m)) {
      throw new Error(
        `similarity: unknown metric "${m}", expected one of ${ALL_METRICS.join(', ')}`,
      );
    }
  }
  return [...new Set(metrics as SimilarityMetric[])];
}

/**
 * Checks a request against the layers' shapes before any work: known metric names, equal widths
 * for cosine, N ≥ 4 for the unbiased estimators, a valid minibatch size and RBF bandwidth.
 * Returns the metrics without repeats, in the order asked.
 */
export function checkSimilarityRequest(
  n: number,
  widths: readonly number[],
  metrics: readonly string[],
  options: SimilarityOptions = {},
): SimilarityMetric[] {
  const wanted = checkMetricNames(metrics);
  if (wanted.includes('cosine')) checkEqualWidths(widths);
  if (wanted.includes('cka-debiased')) checkUnbiasedSamples(n, 'debiased CKA');
  if (wanted.includes('cka-minibatch')) {
    checkUnbiasedSamples(n, 'minibatch CKA');
    checkBatchSize(options.batchSize ?? DEFAULT_MINIBATCH_SIZE);
  }
  if (wanted.includes('cka-rbf')) checkRbfT(options.rbfT ?? DEFAULT_RBF_T);
  if (wanted.includes('knn')) checkKnnK(options.knnK ?? DEFAULT_KNN_K, n);
  for (const m of ['procrustes', 'svcca'] as const) {
    if (wanted.includes(m)) checkSpectralSizes(n, widths, m === 'svcca' ? 'SVCCA' : 'Procrustes');
  }
  return wanted;
}

/**
 * Every requested similarity matrix over the same layers, already on the device (analyzeLayerRows
 * in src/engine/pipeline/analyze.ts is the entry point for the CLI and the worker). All checks (names, widths, N, options, NaN) run before
 * any heavy work; statistics shared by metrics are computed once (linear and debiased CKA come
 * from the same centred-kernel statistics). Keys are the metric names, in the order asked.
 * See cosineSimilarityMatrix, linearCkaMatrix, debiasedCkaMatrix, minibatchCkaMatrix and
 * rbfCkaMatrix, and crossMeasureMatrices (Procrustes, SVCCA, mutual k-NN) for each definition.
 * Inputs are not disposed. `signal` stops it between metrics (and between minibatches) with a
 * TaskAbortedError. With `split`, Procrustes, SVCCA and k-NN fill only the pairs l < split ≤ m
 * (two models' layers listed one after the other); the others fill every pair.
 */
export async function similarityMatrices(
  layers: readonly Tensor2D[],
  metrics: readonly SimilarityMetric[],
  options: SimilarityOptions = {},
  signal?: AbortSignal,
  split?: number,
): Promise<Record<string, MetricMatrix>> {
  const n = checkLayerShapes(layers, 'similarity');
  const wanted = checkSimilarityRequest(
    n,
    layers.map((x) => x.shape[1]),
    metrics,
    options,
  );
  const batchSize = options.batchSize ?? DEFAULT_MINIBATCH_SIZE;
  const t = options.rbfT ?? DEFAULT_RBF_T;
  // On WebGPU, every layer in one buffer for Strata's own WGSL programs (fusedStats.ts).
  const packed = packForFusedStats(layers, wanted);
  const out: Record<string, MetricMatrix> = {};
  try {
    await (packed ? assertFinitePacked(packed, 'similarity') : assertFinite(layers, 'similarity'));
    const kernelStats = (size?: number) =>
      packed && fusedKernelStatsApply(layers, size)
        ? packedKernelStats(packed, { batchSize: size, signal })
        : linearKernelStats(layers, { batchSize: size, signal });
    const full =
      wanted.includes('cka') || wanted.includes('cka-debiased')
        ? (await kernelStats()).batches[0]
        : null;
    for (const metric of wanted) {
      await betweenBatches(signal, 'similarity');
      if (metric === 'cosine') {
        out[metric] = packed
          ? cosineFromSums(await packedCosineSums(packed), n)
          : await computeCosineMatrix(layers);
      }
      if (metric === 'cka') out[metric] = linearCkaFromStats(full!);
      if (metric === 'cka-debiased') out[metric] = debiasedCkaFromStats(full!);
      if (metric === 'cka-minibatch') {
        const stats = await kernelStats(batchSize);
        out[metric] = minibatchCkaFromStats(stats.batches, batchSize, stats.skippedRows);
      }
      if (metric === 'cka-rbf') out[metric] = await computeRbfCkaMatrix(layers, t);
    }
  } finally {
    packed?.dispose();
  }
  const cross = wanted.filter(isCrossMeasure);
  if (cross.length === 0) return out;
  const crossOut = await crossMeasureMatrices(layers, cross, {
    knnK: options.knnK,
    split,
    signal,
  });
  // Keys in the order asked.
  return Object.fromEntries(wanted.map((m) => [m, (out[m] ?? crossOut[m as CrossMeasure])!]));
}

/**
 * Minibatch CKA over layers read a batch of rows at a time (memory or a file), uploading one
 * group of batches at a time: the device never holds a whole layer, so memory is O(batch) beyond
 * the source (W4 in bench/RESULTS.md). Each layer is multiplied by its scale (a power of two, from
 * scanLayers) as it is uploaded; the caller has checked the values are finite (scanLayers).
 */
export async function minibatchCkaOfRows(
  rows: LayerRows,
  batchSize: number = DEFAULT_MINIBATCH_SIZE,
  scales?: readonly number[],
  signal?: AbortSignal,
): Promise<MetricMatrix> {
  checkUnbiasedSamples(rows.n, 'minibatch CKA');
  checkBatchSize(batchSize);
  const source = layerRowSource(rows, scales);
  const stats = await kernelStatsOfRows(source, rows.n, rows.widths, { batchSize, signal });
  return minibatchCkaFromStats(stats.batches, batchSize, stats.skippedRows);
}
