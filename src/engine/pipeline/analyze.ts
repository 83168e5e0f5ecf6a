import { tf } from '../tf';
import { metricAgreement, type MetricAgreement } from '../metrics/agreement';
import {
  applicableMetricsFor,
  minibatchCkaOfHostLayers,
  similarityMatrices,
  type SimilarityOptions,
} from '../metrics/similarity';
import type { MetricMatrix } from '../metrics/types';
import type { SimilarityMetric } from '../metrics/types';

/** One layer's activations, rows = samples: [n, d] row-major. */
export interface LayerActivations {
  name: string;
  n: number;
  d: number;
  data: Float32Array;
}

/** What `strata analyze` writes and the page draws: full matrices over the layers, by metric. */
export interface SimilarityReport {
  layers: string[];
  n: number;
  metrics: Partial<Record<SimilarityMetric, (number | null)[][]>>;
  /** Why entries are null, and facts a reader needs (zero rows, batches used), by metric. */
  notes: Partial<Record<SimilarityMetric, string[]>>;
  /** Agreement of cosine with each CKA variant over the off-diagonal pairs (claim 1 of the paper). */
  agreement: Record<string, MetricAgreement>;
}

/**
 * Computes the requested similarity matrices (all that apply when `metrics` is absent) over
 * plain per-layer activations, and the cosine–CKA agreement. Owns and frees its tensors.
 */
export async function analyzeLayers(
  layers: readonly LayerActivations[],
  metrics: readonly SimilarityMetric[] | undefined,
  options: SimilarityOptions = {},
): Promise<SimilarityReport> {
  if (layers.length === 0) throw new Error('analysis: no layers given');
  const wanted =
    metrics ??
    applicableMetricsFor(
      layers[0].n,
      layers.map((l) => l.d),
    );
  // Minibatch CKA alone streams its batches from host memory: no whole layer is uploaded.
  const streamed = wanted.length > 0 && wanted.every((m) => m === 'cka-minibatch');
  const tensors = streamed ? [] : layers.map((l) => tf.tensor2d(l.data, [l.n, l.d]));
  try {
    const matrices: Record<string, MetricMatrix> = streamed
      ? { 'cka-minibatch': await minibatchCkaOfHostLayers(layers, options.batchSize) }
      : await similarityMatrices(tensors, wanted, options);
    const report: SimilarityReport = {
      layers: layers.map((l) => l.name),
      n: layers[0].n,
      metrics: {},
      notes: {},
      agreement: {},
    };
    for (const [name, matrix] of Object.entries(matrices)) {
      const metric = name as SimilarityMetric;
      report.metrics[metric] = matrix.values;
      if (matrix.notes.length) report.notes[metric] = matrix.notes;
    }
    const cosine = matrices['cosine'];
    if (cosine) {
      for (const [name, matrix] of Object.entries(matrices)) {
        if (name !== 'cosine') report.agreement[`cosine~${name}`] = metricAgreement(cosine, matrix);
      }
    }
    return report;
  } finally {
    tensors.forEach((t) => t.dispose());
  }
}
