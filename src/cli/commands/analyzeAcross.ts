import type { EngineApi } from '../../engine/api';
import type { CrossSimilarityReport } from '../../engine/pipeline/analyzeAcross';
import type { SimilarityMetric } from '../../engine/metrics/types';
import { sampleOptions } from '../args';
import { phaseProgress } from '../progress';
import { checkModelFitsDataset, resolveDataset, resolveModel } from '../resolve';

interface AcrossFlags {
  model?: string;
  'versus-model'?: string;
  dataset?: string;
  samples?: string;
  pooling?: string;
  seed?: string;
}

interface Settings {
  metrics: SimilarityMetric[] | undefined;
  batchSize: number;
  rbfT: number;
  knnK: number;
}

/**
 * `strata analyze --model A --versus-model B --dataset D`: both checkpoints on the same seeded
 * test samples of D, every layer of A against every layer of B. Returns the report and what
 * similarity.json says of the run besides.
 */
export async function analyzeModelsAcross(
  engine: EngineApi,
  o: AcrossFlags,
  settings: Settings,
): Promise<{ report: CrossSimilarityReport; extra: Record<string, unknown> }> {
  const dataset = await resolveDataset(engine, o.dataset!);
  const a = await resolveModel(engine, o.model!, dataset.name);
  const b = await resolveModel(engine, o['versus-model']!, dataset.name);
  checkModelFitsDataset(a.info, o.model!, dataset);
  checkModelFitsDataset(b.info, o['versus-model']!, dataset);
  const { samples, pooling, seed } = sampleOptions(o, dataset);
  const progress = phaseProgress();
  const result = await engine.analyzeAcross(
    {
      modelId: a.id,
      versusModelId: b.id,
      dataset: dataset.name,
      samples,
      seed,
      pooling,
      metrics: settings.metrics,
      finalNormInHead: true,
      batchSize: settings.batchSize,
      rbfT: settings.rbfT,
      knnK: settings.knnK,
    },
    progress.onProgress,
  );
  progress.done();
  const { layers, versusLayers, n, metrics, notes, agreement, skipped } = result;
  return {
    report: { layers, versusLayers, n, metrics, notes, agreement, ...(skipped && { skipped }) },
    extra: {
      model: a.name,
      versusModel: b.name,
      dataset: dataset.name,
      split: 'test',
      samples,
      seed,
      ...(pooling && { pooling }),
    },
  };
}
