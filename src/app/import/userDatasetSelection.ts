// Studying a user's dataset: it has no models of its own, so the page pairs it with a model of the
// built-in dataset whose input it fits (same image shape, or texts encoded with its tokenizer).
import type { DatasetInfo, ModelInfo } from '../../engine/apiTypes';
import { defaultCompare } from '../state/catalog';
import { useStrata } from '../store';
import { modelsFor } from './userDatasetFit';

export { modelsFor };

/** Whether `name` is a dataset the user imported. */
export function isUserDataset(datasets: readonly DatasetInfo[], name: string | null): boolean {
  return datasets.some((d) => d.name === name && d.origin === 'user');
}

/** Why no model can read `info` (for the page), or null when one can. */
export function whyNoModel(info: DatasetInfo, models: readonly ModelInfo[]): string | null {
  if (modelsFor(info, models).length > 0) return null;
  if (info.kind === 'image')
    return `its images are ${info.inputShape.join('×')} and no model here reads that size; drop the images as a folder or zip while a model is open (Strata resizes them to its input)`;
  return 'its texts were not encoded with a model’s tokenizer; drop them again while a text model is open';
}

/**
 * Studies user dataset `name` with `modelId` (default: the model on show if it can read it, else
 * the first that can). The A/B pair stays on the model's own built-in pair. Returns false, with
 * a notice, when no model can read it.
 */
export function selectUserDataset(name: string, modelId?: string): boolean {
  const { results, config, setConfig, addAlert } = useStrata.getState();
  const info = results.datasets.find((d) => d.name === name);
  if (!info) {
    addAlert('error', `Dataset "${name}" is not in the list of datasets; kept ${config.dataset}.`);
    return false;
  }
  const fits = modelsFor(info, results.models);
  const model =
    fits.find((m) => m.id === (modelId ?? config.modelId)) ??
    fits.find((m) => m.loss === 'aligned' && m.numClasses === info.classNames.length) ??
    fits[0];
  if (!model) {
    addAlert(
      'notice',
      `${info.title} is listed, but no model here can read it: ${whyNoModel(info, results.models)}.`,
    );
    return false;
  }
  const pair = defaultCompare(results.models, model.dataset);
  setConfig({ modelId: model.id, dataset: name, compare: { ...config.compare, ...pair } });
  return true;
}
