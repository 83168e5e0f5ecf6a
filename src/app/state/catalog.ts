// Choices that follow from the model list: the first model shown, the default A/B pair, the
// multi-head baseline of a dataset. Pure functions of plain records.
import type { ModelInfo } from '../../engine/apiTypes';

/** The model the page opens on: `mnist-aligned` when listed, else the first model. */
export const PREFERRED_MODEL = 'mnist-aligned';

export function defaultModel(models: readonly ModelInfo[]): ModelInfo | null {
  return models.find((m) => m.id === PREFERRED_MODEL) ?? models[0] ?? null;
}

/** Models trained on `dataset`, built-in ones first, in list order otherwise. */
export function modelsOf(models: readonly ModelInfo[], dataset: string | null): ModelInfo[] {
  const of = models.filter((m) => m.dataset === dataset);
  return [...of.filter((m) => m.builtin), ...of.filter((m) => !m.builtin)];
}

/** The built-in model of `dataset` trained with `loss`, if any. */
export function builtinOf(
  models: readonly ModelInfo[],
  dataset: string | null,
  loss: ModelInfo['loss'],
): ModelInfo | null {
  return models.find((m) => m.dataset === dataset && m.builtin && m.loss === loss) ?? null;
}

/**
 * The default A/B pair of a dataset: its standard vs its aligned checkpoint; failing those, the
 * first two models of the dataset (or one model twice when it is the only one).
 */
export function defaultCompare(
  models: readonly ModelInfo[],
  dataset: string | null,
): { a: string | null; b: string | null } {
  const of = modelsOf(models, dataset);
  const a = builtinOf(models, dataset, 'standard') ?? of[0] ?? null;
  const b = builtinOf(models, dataset, 'aligned') ?? of.find((m) => m !== a) ?? a;
  return { a: a?.id ?? null, b: b?.id ?? null };
}

/** The multi-head baseline of `dataset` (the standard multi-exit architecture), if listed. */
export function multiheadOf(
  models: readonly ModelInfo[],
  dataset: string | null,
): ModelInfo | null {
  return (
    builtinOf(models, dataset, 'multihead') ??
    models.find((m) => m.dataset === dataset && m.perLayerHeads) ??
    null
  );
}

/**
 * A model's name in pickers: built-in ones by id, the user's own marked, fine-tunes by what they
 * are ("mnist-aligned → aligned, 200 steps, lr 1e-4", their title).
 */
export function modelOptionLabel(m: ModelInfo): string {
  if (m.builtin) return m.id;
  return m.id.startsWith('user-') ? `${m.id} (yours)` : m.title;
}

export function findModel(models: readonly ModelInfo[], id: string | null): ModelInfo | null {
  return models.find((m) => m.id === id) ?? null;
}
