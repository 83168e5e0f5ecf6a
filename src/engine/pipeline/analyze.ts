import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { metricAgreement, type MetricAgreement } from '../metrics/agreement';
import { debiasedCkaFromStats, linearCkaFromStats } from '../metrics/ckaFromStats';
import { cosineFromSums } from '../metrics/cosine';
import { memoryLayerRows, type LayerRows, type MemoryLayer } from '../metrics/layerRows';
import { scanLayers, type LayerFacts } from '../metrics/layerScan';
import {
  applicableMetricsFor,
  checkSimilarityRequest,
  DEFAULT_MINIBATCH_SIZE,
  minibatchCkaOfRows,
  similarityMatrices,
  type SimilarityOptions,
} from '../metrics/similarity';
import { streamedStats, type StreamedStatsOptions } from '../metrics/streamedStats';
import { markConstantLayers } from '../metrics/constantLayers';
import { rbfFits } from '../metrics/rbfCka';
import { betweenBatches } from '../tasks';
import { withLayerNames, type MetricMatrix, type SimilarityMetric } from '../metrics/types';

/** One layer's activations, rows = samples: [n, d] row-major. */
export type LayerActivations = MemoryLayer;

/** What `strata analyze` writes and the page draws: full matrices over the layers, by metric. */
export interface SimilarityReport {
  layers: string[];
  n: number;
  metrics: Partial<Record<SimilarityMetric, (number | null)[][]>>;
  /** Why entries are null, and facts a reader needs (zero rows, batches used), by metric. */
  notes: Partial<Record<SimilarityMetric, string[]>>;
  /** Agreement of cosine with each CKA variant over the off-diagonal pairs (claim 1 of the paper). */
  agreement: Record<string, MetricAgreement>;
  /** Metrics asked for (or applicable by default) that were not computed, each with why. */
  skipped?: Partial<Record<SimilarityMetric, string>>;
}

export interface AnalyzeOptions extends SimilarityOptions {
  /**
   * `device`: whole layers are uploaded (fast for inputs that fit); `streamed`: blocks of rows are
   * read and reduced as they come, so the device never holds a layer. Default: device when all
   * layers together hold at most `deviceFloats` values and there are at most DEVICE_MAX_LAYERS.
   */
  path?: 'device' | 'streamed';
  /** Values all layers may hold for the device path (default DEVICE_FLOATS). */
  deviceFloats?: number;
  /** Values RBF CKA's N×N matrices may hold (default RBF_FLOATS in memoryPlan.ts). */
  rbfFloats?: number;
  /** Block and accumulator sizes of the streamed path (tests). */
  streamed?: StreamedStatsOptions;
  /** Stops the analysis between blocks, batches and metrics with a TaskAbortedError (tasks.ts). */
  signal?: AbortSignal;
  /** Two models' layers, the first `split` of one: Procrustes, SVCCA, k-NN fill only the pairs across. */
  split?: number;
}

/** 64 MB of float32 activations: below this, uploading every layer whole is the fast path… */
export const DEVICE_FLOATS = 1 << 24;
/** …for up to this many layers: the device path costs a few small products per pair of layers. */
export const DEVICE_MAX_LAYERS = 32;

/** Analysis of plain per-layer arrays in memory: see analyzeLayerRows. */
export async function analyzeLayers(
  layers: readonly LayerActivations[],
  metrics: readonly SimilarityMetric[] | undefined,
  options: AnalyzeOptions = {},
): Promise<SimilarityReport> {
  return analyzeLayerRows(memoryLayerRows(layers), metrics, options);
}

/**
 * The engine's analysis of per-layer activations, for the CLI and the worker: the requested
 * similarity matrices (all that apply when `metrics` is absent) and the cosine–CKA agreement.
 * 1. The request is checked against the shapes before any work.
 * 2. One host pass over the rows refuses NaN and ±∞ and finds, per layer, a power-of-two scale
 *    (so every metric is the same for the layer ×1e-30 or ×1e30), float64 column means, and
 *    whether the layer is constant (its CKA entries are then null, with a note saying so).
 * 3. Metrics whose memory does not fit (RBF CKA's N×N kernels) are skipped with a reason in
 *    `skipped` and in the notes; the others are computed.
 * 4. Small inputs are uploaded whole; larger ones (or many layers) are streamed in blocks of rows (cosine, linear
 *    and debiased CKA from running sums, minibatch CKA batch by batch): memory is bounded by a
 *    block, not by N.
 * Owns and frees its tensors, also when `options.signal` stops it.
 */
export async function analyzeLayerRows(
  rows: LayerRows,
  metrics: readonly SimilarityMetric[] | undefined,
  options: AnalyzeOptions = {},
): Promise<SimilarityReport> {
  const { n, widths } = rows;
  const requested = checkSimilarityRequest(
    n,
    widths,
    metrics ?? applicableMetricsFor(n, widths),
    options,
  );
  const skipped: Partial<Record<SimilarityMetric, string>> = {};
  const rbf = rbfFits(n, widths, options.rbfFloats);
  if (requested.includes('cka-rbf') && !rbf.fits) skipped['cka-rbf'] = rbf.why;
  const wanted = requested.filter((m) => !skipped[m]);

  const facts = await scanLayers(rows, options.signal);
  const total = n * widths.reduce((a, b) => a + b, 0);
  const small =
    total <= (options.deviceFloats ?? DEVICE_FLOATS) && widths.length <= DEVICE_MAX_LAYERS;
  const path = options.path ?? (small ? 'device' : 'streamed');
  const matrices =
    path === 'device'
      ? await onDevice(rows, facts, wanted, options)
      : await streamed(rows, facts, wanted, options);
  markConstantLayers(matrices, facts);

  const report: SimilarityReport = {
    layers: [...rows.names],
    n,
    metrics: {},
    notes: {},
    agreement: {},
  };
  for (const metric of requested) {
    const matrix = matrices[metric];
    if (matrix) {
      report.metrics[metric] = matrix.values;
      if (matrix.notes.length)
        report.notes[metric] = matrix.notes.map((note) => withLayerNames(note, rows.names));
    } else if (skipped[metric]) {
      report.notes[metric] = [`not computed: ${skipped[metric]}`];
    }
  }
  if (Object.keys(skipped).length > 0) report.skipped = skipped;
  const cosine = matrices.cosine;
  if (cosine) {
    for (const metric of wanted) {
      if (metric !== 'cosine') {
        report.agreement[`cosine~${metric}`] = metricAgreement(cosine, matrices[metric]!);
      }
    }
  }
  return report;
}

type Matrices = Partial<Record<SimilarityMetric, MetricMatrix>>;

/**
 * A layer times its scale, on the device. On WebGPU, where each op is a dispatch, the host scales
 * it while copying (a power of two: the same float32 values).
 */
function uploadScaled(data: Float32Array, n: number, d: number, scale: number): Tensor2D {
  if (tf.getBackend() === 'webgpu') {
    return tf.tensor2d(scale === 1 ? data : data.map((v) => v * scale), [n, d]);
  }
  return tf.tidy(() => tf.mul(tf.tensor2d(data, [n, d]), scale));
}

/** Scaled layers uploaded whole, then similarityMatrices. */
async function onDevice(
  rows: LayerRows,
  facts: readonly LayerFacts[],
  wanted: readonly SimilarityMetric[],
  options: AnalyzeOptions,
): Promise<Matrices> {
  if (wanted.length === 0) return {};
  const tensors: Tensor2D[] = [];
  try {
    for (let l = 0; l < rows.widths.length; l++) {
      await betweenBatches(options.signal, 'similarity upload');
      const data = await rows.read(l, 0, rows.n);
      tensors.push(uploadScaled(data, rows.n, rows.widths[l], facts[l].scale));
    }
    return await similarityMatrices(tensors, wanted, options, options.signal, options.split);
  } finally {
    tensors.forEach((t) => t.dispose());
  }
}

/** Blocks of rows: running sums for cosine and the full-batch CKAs, batches for minibatch CKA. */
async function streamed(
  rows: LayerRows,
  facts: readonly LayerFacts[],
  wanted: readonly SimilarityMetric[],
  options: AnalyzeOptions,
): Promise<Matrices> {
  const out: Matrices = {};
  const want = {
    cosine: wanted.includes('cosine'),
    kernel: wanted.includes('cka') || wanted.includes('cka-debiased'),
  };
  const scales = facts.map((f) => f.scale);
  const sums =
    want.cosine || want.kernel
      ? await streamedStats(rows, facts, want, { ...options.streamed, signal: options.signal })
      : {};
  for (const metric of wanted) {
    if (metric === 'cosine') out.cosine = cosineFromSums(sums.cosine!, rows.n);
    if (metric === 'cka') out.cka = linearCkaFromStats(sums.kernel!);
    if (metric === 'cka-debiased') out['cka-debiased'] = debiasedCkaFromStats(sums.kernel!);
    if (metric === 'cka-minibatch') {
      const batchSize = options.batchSize ?? DEFAULT_MINIBATCH_SIZE;
      out['cka-minibatch'] = await minibatchCkaOfRows(rows, batchSize, scales, options.signal);
    }
    if (metric === 'cka-rbf') {
      // Only reached when its N×N matrices fit (rbfFits), so the layers fit too.
      const rbf = await onDevice(rows, facts, ['cka-rbf'], options);
      out['cka-rbf'] = rbf['cka-rbf'];
    }
  }
  // Procrustes, SVCCA and k-NN need whole layers (a basis, neighbour lists): uploaded together.
  const whole = wanted.filter((m) => m === 'procrustes' || m === 'svcca' || m === 'knn');
  if (whole.length > 0) Object.assign(out, await onDevice(rows, facts, whole, options));
  return out;
}
