import type { Tensor2D } from '../tf';
import { checkBatchSize, checkUnbiasedSamples, MIN_UNBIASED_SAMPLES } from './cka';
import { debiasedCkaFromStats, linearCkaFromStats, minibatchCkaFromStats } from './ckaFromStats';
import { checkEqualWidths, computeCosineMatrix } from './cosine';
import {
  hostRows,
  kernelStatsOfRows,
  linearKernelStats,
  type HostLayer,
} from './linearKernelStats';
import { checkRbfT, computeRbfCkaMatrix, DEFAULT_RBF_T } from './rbfCka';
import { layerName, type MetricMatrix, type SimilarityMetric } from './types';
import { assertFinite, checkLayerShapes } from './validate';

export const SIMILARITY_METRICS: readonly SimilarityMetric[] = [
  'cosine',
  'cka',
  'cka-debiased',
  'cka-minibatch',
  'cka-rbf',
];

/** Rows per batch of minibatch CKA when none is given. */
export const DEFAULT_MINIBATCH_SIZE = 256;

export interface SimilarityOptions {
  /** Rows per batch for `cka-minibatch` (≥ 4); default DEFAULT_MINIBATCH_SIZE. */
  batchSize?: number;
  /** Bandwidth fraction t of `cka-rbf`; default 0.5. */
  rbfT?: number;
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
    if (!(SIMILARITY_METRICS as readonly string[]).includes(m)) {
      throw new Error(
        `similarity: unknown metric "${m}", expected one of ${SIMILARITY_METRICS.join(', ')}`,
      );
    }
  }
  return [...new Set(metrics as SimilarityMetric[])];
}

/**
 * Every requested similarity matrix over the same layers — the engine's one entry point for the
 * CLI (`strata analyze`) and the worker. All checks (names, widths, N, options, NaN) run before
 * any heavy work; statistics shared by metrics are computed once (linear and debiased CKA come
 * from the same centred-kernel statistics). Keys are the metric names, in the order asked.
 * See cosineSimilarityMatrix, linearCkaMatrix, debiasedCkaMatrix, minibatchCkaMatrix and
 * rbfCkaMatrix for each definition. Inputs are not disposed.
 */
export async function similarityMatrices(
  layers: readonly Tensor2D[],
  metrics: readonly SimilarityMetric[],
  options: SimilarityOptions = {},
): Promise<Record<string, MetricMatrix>> {
  const wanted = checkMetricNames(metrics);
  const n = checkLayerShapes(layers, 'similarity');
  const batchSize = options.batchSize ?? DEFAULT_MINIBATCH_SIZE;
  const t = options.rbfT ?? DEFAULT_RBF_T;
  if (wanted.includes('cosine')) checkEqualWidths(layers);
  if (wanted.includes('cka-debiased')) checkUnbiasedSamples(n, 'debiased CKA');
  if (wanted.includes('cka-minibatch')) {
    checkUnbiasedSamples(n, 'minibatch CKA');
    checkBatchSize(batchSize);
  }
  if (wanted.includes('cka-rbf')) checkRbfT(t);
  await assertFinite(layers, 'similarity');

  const out: Record<string, MetricMatrix> = {};
  const full =
    wanted.includes('cka') || wanted.includes('cka-debiased')
      ? (await linearKernelStats(layers)).batches[0]
      : null;
  for (const metric of wanted) {
    if (metric === 'cosine') out[metric] = await computeCosineMatrix(layers);
    if (metric === 'cka') out[metric] = linearCkaFromStats(full!);
    if (metric === 'cka-debiased') out[metric] = debiasedCkaFromStats(full!);
    if (metric === 'cka-minibatch') {
      const stats = await linearKernelStats(layers, { batchSize });
      out[metric] = minibatchCkaFromStats(stats.batches, batchSize, stats.skippedRows);
    }
    if (metric === 'cka-rbf') out[metric] = await computeRbfCkaMatrix(layers, t);
  }
  return out;
}

/**
 * Minibatch CKA over layers in host memory, uploading one group of batches at a time: the device
 * never holds a whole layer, so memory is O(batch) beyond the caller's arrays (W4 in
 * bench/RESULTS.md). Same checks and result as similarityMatrices(…, ['cka-minibatch']).
 */
export async function minibatchCkaOfHostLayers(
  layers: readonly HostLayer[],
  batchSize: number = DEFAULT_MINIBATCH_SIZE,
): Promise<MetricMatrix> {
  if (layers.length === 0) throw new Error('minibatch CKA: no layers given, expected at least one');
  const n = layers[0].n;
  layers.forEach((l, i) => {
    if (l.n !== n) {
      throw new Error(
        `minibatch CKA: ${layerName(i)} has ${l.n} rows but ${layerName(0)} has ${n}; ` +
          'every layer needs one row per sample, the same samples',
      );
    }
    if (l.d <= 0) throw new Error(`minibatch CKA: ${layerName(i)} has width ${l.d}`);
    if (l.data.length !== l.n * l.d) {
      throw new Error(
        `minibatch CKA: ${layerName(i)} holds ${l.data.length} values, expected ${l.n} × ${l.d}`,
      );
    }
  });
  checkUnbiasedSamples(n, 'minibatch CKA');
  checkBatchSize(batchSize);
  layers.forEach((l, i) => assertFiniteHost(l.data, i, 'minibatch CKA'));
  const widths = layers.map((l) => l.d);
  const stats = await kernelStatsOfRows(hostRows(layers), n, widths, { batchSize });
  return minibatchCkaFromStats(stats.batches, batchSize, stats.skippedRows);
}

/** Host twin of assertFinite: x − x is NaN exactly when x is NaN or ±∞. */
function assertFiniteHost(data: Float32Array, l: number, where: string): void {
  let bad = 0;
  for (let i = 0; i < data.length; i++) if (data[i] - data[i] !== 0) bad++;
  if (bad > 0) {
    throw new Error(
      `${where}: ${layerName(l)} contains ${bad} NaN or infinite values; expected finite numbers`,
    );
  }
}
