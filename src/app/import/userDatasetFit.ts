// Which models can read a user's dataset: every model of its kind, since each resizes the images
// to its own input or splits the texts with its own tokenizer as it reads them (engine/data/feed.ts).
// Pure: the store uses it too.
import { modelsOf } from '../state/catalog';
import type { DatasetInfo, ModelInfo } from '../../engine/apiTypes';

/** Models that can read `info`: every model of its kind, those with its class count first. */
export function modelsFor(
  info: Pick<DatasetInfo, 'kind' | 'classNames'>,
  models: readonly ModelInfo[],
): ModelInfo[] {
  const fit = models.filter((m) => m.kind === info.kind);
  const same = (m: ModelInfo) => m.numClasses === info.classNames.length;
  return [...fit.filter(same), ...fit.filter((m) => !same(m))];
}

/** Whether `name` is a user's dataset that `model` can read. */
export function modelReadsUserDataset(
  datasets: readonly DatasetInfo[],
  name: string,
  model: ModelInfo,
): boolean {
  const info = datasets.find((d) => d.name === name && d.origin === 'user');
  return !!info && modelsFor(info, [model]).length > 0;
}

/**
 * The models the pickers offer for `dataset`: those trained on it, or for a user's dataset, the
 * models that can read it (the Model picker and the A/B pickers list the same ones).
 */
export function modelChoicesFor(
  datasets: readonly DatasetInfo[],
  models: readonly ModelInfo[],
  dataset: string | null,
): ModelInfo[] {
  const info = datasets.find((d) => d.name === dataset);
  return info?.origin === 'user' ? modelsFor(info, models) : modelsOf(models, dataset);
}

/**
 * Why `modelId`'s head cannot be scored on `dataset` (early exit, accuracy), or null when it can:
 * a user's dataset may name other classes than the head (the similarity views need no labels).
 */
export function headMismatch(
  models: readonly ModelInfo[],
  datasets: readonly DatasetInfo[],
  modelId: string | null,
  dataset: string | null,
): string | null {
  const model = models.find((m) => m.id === modelId);
  const info = datasets.find((d) => d.name === dataset);
  if (!model || !info || model.numClasses === info.classNames.length) return null;
  return `${model.id}'s head has ${model.numClasses} classes, ${info.title} has ${info.classNames.length}; fine-tuning on it starts a head for its classes`;
}
