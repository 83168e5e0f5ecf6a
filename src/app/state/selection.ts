// Which model, dataset and A/B pair to show, given what was asked for (a share link, the current
// config) and what the engine lists. Ids from a link are unchecked until the catalogue arrives;
// this is where they are checked, keeping every part of the request that the catalogue allows.
import type { ModelInfo } from '../../engine/apiTypes';
import { defaultCompare, defaultModel, findModel, modelsOf, PREFERRED_MODEL } from './catalog';
import type { ExplorerConfig } from './config';

/** The part of the config that names checkpoints and data. */
export interface Selection {
  modelId: string | null;
  dataset: string | null;
  compare: { a: string | null; b: string | null };
}

/** The model a dataset opens on: its aligned checkpoint, else the first listed. */
export function preferredModelOf(
  models: readonly ModelInfo[],
  dataset: string | null,
): ModelInfo | null {
  const of = modelsOf(models, dataset);
  return (
    of.find((m) => m.id === `${dataset}-aligned`) ??
    of.find((m) => m.loss === 'aligned') ??
    of[0] ??
    null
  );
}

/**
 * A selection every id of which is listed: the asked model (else the asked dataset's preferred
 * model, else the page's default), its dataset, and the asked A/B checkpoints where they belong
 * to that dataset (else the dataset's default pair). `notices` says what was replaced.
 */
export function resolveSelection(
  asked: Selection,
  models: readonly ModelInfo[],
  /** Whether `model` can read `dataset`, not its own (a user's imported dataset; issue 6). */
  readsDataset?: (dataset: string, model: ModelInfo) => boolean,
): { selection: Selection; notices: string[] } {
  const notices: string[] = [];
  let model = findModel(models, asked.modelId);
  if (!model) {
    model = preferredModelOf(models, asked.dataset) ?? defaultModel(models);
    if (asked.modelId !== null)
      notices.push(
        `Model "${asked.modelId}" is not available; opened ${model?.id ?? 'nothing'} instead.`,
      );
    else if (model && asked.dataset === null && model.id !== PREFERRED_MODEL)
      notices.push(`${PREFERRED_MODEL} is not shipped; opened ${model.id}.`);
  }
  if (!model)
    return { selection: { modelId: null, dataset: null, compare: { a: null, b: null } }, notices };
  const own = model.dataset;
  const dataset =
    asked.dataset !== null && asked.dataset !== own && readsDataset?.(asked.dataset, model)
      ? asked.dataset
      : own;
  if (asked.dataset !== null && asked.dataset !== dataset && findModel(models, asked.modelId))
    notices.push(
      `Model ${model.id} reads dataset ${dataset}, not "${asked.dataset}"; opened ${dataset}.`,
    );
  // The A/B pair stays among the checkpoints of the model's own dataset.
  const pair = defaultCompare(models, own);
  const compare = { a: pair.a, b: pair.b };
  for (const side of ['a', 'b'] as const) {
    const id = asked.compare[side];
    if (findModel(models, id)?.dataset === own) compare[side] = id;
    else if (id !== null)
      notices.push(
        `Checkpoint ${side.toUpperCase()} "${id}" is not available for ${own}; compared ${pair[side] ?? 'nothing'} instead.`,
      );
  }
  return { selection: { modelId: model.id, dataset, compare }, notices };
}

/** The selection part of a config. */
export function selectionOf(config: ExplorerConfig): Selection {
  const { modelId, dataset, compare } = config;
  return { modelId, dataset, compare: { a: compare.a, b: compare.b } };
}

/** Whether two selections name the same checkpoints and data. */
export function sameSelection(a: Selection, b: Selection): boolean {
  return (
    a.modelId === b.modelId &&
    a.dataset === b.dataset &&
    a.compare.a === b.compare.a &&
    a.compare.b === b.compare.b
  );
}

/** Whether every model the selection names is listed. */
export function selectionListed(sel: Selection, models: readonly ModelInfo[]): boolean {
  return [sel.modelId, sel.compare.a, sel.compare.b].every(
    (id) => id === null || findModel(models, id) !== null,
  );
}
