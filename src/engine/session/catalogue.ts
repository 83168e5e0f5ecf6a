import { parseDatasetManifest } from '../data/manifest';
import type { DatasetInfo, LossKind, ModelInfo } from '../apiTypes';

/** public/models/manifest.json: the built-in checkpoints, written by `npm run train:models`. */
export interface ModelsManifest {
  version: 1;
  models: Omit<ModelInfo, 'builtin'>[];
}

const LOSSES: readonly LossKind[] = ['standard', 'aligned', 'multihead'];

/** Validates the models manifest; errors name the field. */
export function parseModelsManifest(text: string, source = 'models/manifest.json'): ModelInfo[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const models = (json as { models?: unknown }).models;
  if (!Array.isArray(models)) throw new Error(`${source}: expected {"models": [...]}`);
  return models.map((m, i) => {
    const where = `${source}: models[${i}]`;
    const r = m as Record<string, unknown>;
    for (const key of ['id', 'title', 'dataset'] as const) {
      if (typeof r[key] !== 'string' || !r[key])
        throw new Error(`${where}.${key}: expected a non-empty string`);
    }
    for (const key of ['numLayers', 'hiddenSize', 'numClasses'] as const) {
      if (!Number.isInteger(r[key]) || (r[key] as number) < 1)
        throw new Error(`${where}.${key}: expected a positive integer`);
    }
    if (!LOSSES.includes(r.loss as LossKind))
      throw new Error(`${where}.loss: expected one of ${LOSSES.join(', ')}`);
    if (r.kind !== 'image' && r.kind !== 'text')
      throw new Error(`${where}.kind: expected image or text`);
    return {
      id: r.id as string,
      title: r.title as string,
      dataset: r.dataset as string,
      loss: r.loss as LossKind,
      numLayers: r.numLayers as number,
      hiddenSize: r.hiddenSize as number,
      numClasses: r.numClasses as number,
      kind: r.kind,
      perLayerHeads: r.perLayerHeads === true,
      builtin: true,
      revision: 0,
    };
  });
}

/** The built-in datasets as listed in public/datasets/manifest.json. */
export function datasetInfos(manifestText: string): DatasetInfo[] {
  return parseDatasetManifest(manifestText, 'datasets/manifest.json').datasets.map((d) => ({
    name: d.name,
    title: d.title,
    kind: d.kind,
    classNames: [...d.classNames],
    inputShape: [...d.inputShape],
    trainCount: d.splits.train.n,
    testCount: d.splits.test.n,
    source: d.source,
    licence: d.licence,
  }));
}
