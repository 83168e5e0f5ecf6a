// Which models can read a user's dataset: those of the built-in dataset whose input it was fitted
// to (same image shape, or texts encoded with its tokenizer). Pure: the store uses it too.
import type { DatasetInfo, ModelInfo } from '../../engine/apiTypes';

/** Models that can read `info`: those of its fitting built-in dataset, same class count first. */
export function modelsFor(info: DatasetInfo, models: readonly ModelInfo[]): ModelInfo[] {
  const fit = models.filter(
    (m) => (m.dataset === info.fitsModelsOf || m.dataset === info.name) && m.kind === info.kind,
  );
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
