// Studying a user's dataset: it has no models of its own, so the page pairs it with a model of its
// kind (each model resizes the images or tokenizes the texts its own way as it reads them).
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
  return `no ${info.kind} model is listed; open or import one (it reads this dataset as it is)`;
}

/**
 * The model that studies `info` unless one is asked for: among the models with its class count
 * (else all of its kind), the one on show, else an aligned one, else the first.
 */
export function preferredModel(
  info: DatasetInfo,
  models: readonly ModelInfo[],
  openId: string | null,
): ModelInfo | undefined {
  const fits = modelsFor(info, models);
  const same = fits.filter((m) => m.numClasses === info.classNames.length);
  const pool = same.length > 0 ? same : fits;
  return pool.find((m) => m.id === openId) ?? pool.find((m) => m.loss === 'aligned') ?? pool[0];
}

/**
 * Studies user dataset `name` with `modelId` (default: preferredModel). The A/B pair stays on the
 * model's own built-in pair. Returns false, with a notice, when no model can read it.
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
    (modelId ? fits.find((m) => m.id === modelId) : undefined) ??
    preferredModel(info, results.models, config.modelId);
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
