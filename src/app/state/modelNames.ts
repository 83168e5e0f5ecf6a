// What the page calls a model in every caption, legend, tooltip, note, report line and export
// file name: a fine-tune by its run name ("mnist-aligned → aligned, 200 steps, lr 1e-4"), any
// other model by its id. The id `finetuned-<n>` stays where an id is meant (URL, storage keys).
import type { ModelInfo } from '../../engine/apiTypes';

/** The models the page knows, of which a name needs only the id and title. */
export type ModelTitles = readonly Pick<ModelInfo, 'id' | 'title'>[];

const FINE_TUNE_ID = /^finetuned-[1-9]\d*$/;

/** A fine-tune's run name (its title), or the id of any other model or of one not listed. */
export function modelTitle(models: ModelTitles, modelId: string): string {
  if (!FINE_TUNE_ID.test(modelId)) return modelId;
  const title = models.find((m) => m.id === modelId)?.title.trim();
  return title || modelId;
}

/**
 * "mnist-aligned → aligned, 200 steps, lr 1e-4 @ step 120": a fine-tune is trained in place
 * under one id, so a figure names the step its weights were taken at; a model whose weights
 * never changed here is its name alone.
 */
export function modelName(models: ModelTitles, modelId: string, revision: number): string {
  const title = modelTitle(models, modelId);
  return revision > 0 ? `${title} @ step ${revision}` : title;
}

/** The model (and revision) a result was computed on. */
export const resultModelName = (
  models: ModelTitles,
  r: { request: { modelId: string }; revision: number },
) => modelName(models, r.request.modelId, r.revision);
