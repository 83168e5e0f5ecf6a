import type { CrossAnalysisQuery, CrossAnalysisResult, ProgressEvent } from '../apiTypes';
import type { Dataset } from '../data/types';
import { sampleIndices } from '../data/order';
import { memoryLayerRows } from '../metrics/layerRows';
import { analyzeAcross } from '../pipeline/analyzeAcross';
import { captureLayers } from '../pipeline/capture';
import type { LoadedModel } from '../pipeline/evaluate';

/** A cross analysis before the caller stamps the revisions it pinned (api.ts). */
export type CrossAnalysis = Omit<CrossAnalysisResult, 'revisions'>;

/**
 * Two checkpoints' layers captured on the same seeded test samples (each with its own pooling
 * unless the query names one), then every requested measure between each layer of A and each
 * of B (analyzeAcross). `signal` stops it between batches with a TaskAbortedError.
 */
export async function runCrossAnalysis(
  a: LoadedModel,
  b: LoadedModel,
  dataset: Dataset,
  query: CrossAnalysisQuery,
  onProgress?: (e: ProgressEvent) => void,
  signal?: AbortSignal,
): Promise<CrossAnalysis> {
  const samples = Math.min(query.samples, dataset.test.n);
  const indices = sampleIndices(dataset.test.n, samples, query.seed);
  const capture = (model: LoadedModel, phase: string) =>
    captureLayers(model, dataset, dataset.test, indices, {
      pooling: query.pooling ?? model.config.pooling,
      finalNormInHead: query.finalNormInHead,
      onProgress: (done, total) => onProgress?.({ phase, done, total }),
      signal,
    });
  const capturedA = await capture(a, 'capturing layers of A');
  const capturedB = await capture(b, 'capturing layers of B');
  onProgress?.({ phase: 'computing similarity across A and B', done: 0, total: 1 });
  const report = await analyzeAcross(
    memoryLayerRows(capturedA.layers),
    memoryLayerRows(capturedB.layers),
    query.metrics,
    { batchSize: query.batchSize, rbfT: query.rbfT, knnK: query.knnK, signal },
  );
  onProgress?.({ phase: 'computing similarity across A and B', done: 1, total: 1 });
  return { ...report, request: query };
}
