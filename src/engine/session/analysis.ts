import type { AnalysisQuery, AnalysisResult, ProgressEvent } from '../apiTypes';
import type { Dataset } from '../data/types';
import { sampleIndices } from '../data/order';
import { saturationLayers } from '../exits/compare';
import { minimalDepth } from '../metrics/perLayer';
import { applicableMetricsFor } from '../metrics/similarity';
import { analyzeLayers } from '../pipeline/analyze';
import { captureLayers } from '../pipeline/capture';
import { classMeanProjection } from '../pipeline/classMeans';
import { layerAccuracyAndLoss, type LoadedModel } from '../pipeline/evaluate';

/** An analysis before the caller stamps the model revision it pinned (api.ts). */
export type LayerAnalysis = Omit<AnalysisResult, 'revision'>;

/**
 * The Similarity and Per-layer accuracy panels' numbers for one checkpoint. `signal` stops it
 * between batches with a TaskAbortedError (tasks.ts), holding no tensor.
 */
export async function runAnalysis(
  model: LoadedModel,
  dataset: Dataset,
  query: AnalysisQuery,
  onProgress?: (e: ProgressEvent) => void,
  signal?: AbortSignal,
): Promise<LayerAnalysis> {
  const start = performance.now();
  const samples = Math.min(query.samples, dataset.test.n);
  const indices = sampleIndices(dataset.test.n, samples, query.seed);
  const pooling = query.pooling ?? model.config.pooling;
  const captured = await captureLayers(model, dataset, dataset.test, indices, {
    pooling,
    finalNormInHead: query.finalNormInHead,
    onProgress: (done, total) => onProgress?.({ phase: 'capturing layers', done, total }),
    signal,
  });
  onProgress?.({ phase: 'computing similarity', done: 0, total: 1 });
  const widths = captured.layers.map((l) => l.d);
  const metrics = query.metrics ?? applicableMetricsFor(captured.layers[0].n, widths);
  const report = await analyzeLayers(captured.layers, metrics, {
    batchSize: query.batchSize,
    rbfT: query.rbfT,
    signal,
  });
  const C = captured.numClasses;
  const L = model.config.numLayers;
  const saturationHistogram = new Array<number>(L + 1).fill(0);
  for (const s of saturationLayers(captured.logits, C)) saturationHistogram[s - 1]++; // 1-based over layers 0..L
  // A user's dataset may name other classes than the model's head: its labels then say nothing
  // about the head's predictions, so accuracy is left out and only the label-free views remain.
  const dataClasses = dataset.classNames.length;
  const labelled = dataClasses === C;
  const { accuracy, loss } = labelled
    ? layerAccuracyAndLoss({ logits: captured.logits, labels: captured.labels, numClasses: C })
    : { accuracy: [], loss: [] };
  const result: LayerAnalysis = {
    request: { ...query, pooling, metrics },
    layers: report.layers,
    n: report.n,
    ...(captured.tokenRows ? { tokenRows: captured.tokenRows } : {}),
    metrics: report.metrics,
    notes: report.notes,
    agreement: report.agreement,
    accuracy,
    loss,
    minimalDepth: labelled ? minimalDepth(accuracy) : 0,
    saturationHistogram,
    classMeans:
      pooling === 'tokens'
        ? { points: [], explained: [0, 0] }
        : classMeanProjection(captured.layers, captured.labels, dataClasses),
    elapsedMs: 0,
  };
  if (!labelled) {
    result.accuracyUnavailable =
      `the model's head has ${C} classes, the dataset ${dataClasses}: per-layer accuracy needs ` +
      `a head for the dataset's classes (fine-tuning on it starts one)`;
  }
  if (report.skipped) result.skipped = report.skipped;
  if (labelled && captured.headLogits) {
    const [, ...exits] = captured.headLogits; // layers 1..L
    const heads = layerAccuracyAndLoss({ logits: exits, labels: captured.labels, numClasses: C });
    result.headAccuracy = heads.accuracy;
    result.headLoss = heads.loss;
  }
  onProgress?.({ phase: 'computing similarity', done: 1, total: 1 });
  result.elapsedMs = performance.now() - start;
  return result;
}
