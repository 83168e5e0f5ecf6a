import type { Variable } from '../tf';
import { initialValues, variableFrom } from '../model/init';
import { buildParams } from '../model/params';
import type { LoadedModel } from '../pipeline/evaluate';
import type { LossKind } from './losses';

/**
 * The model a loss trains: `multihead` needs per-layer heads g_1..g_L; a model without them gets
 * fresh ones (seeded), sharing every existing variable. Other losses use the model as it is.
 */
export function modelForLoss(model: LoadedModel, loss: LossKind, seed: number): LoadedModel {
  if (loss !== 'multihead' || model.config.heads === 'per-layer') return model;
  const config = { ...model.config, heads: 'per-layer' as const };
  const params = buildParams(
    config,
    (spec, existing) => existing ?? variableFrom(initialValues(spec, seed), spec.shape),
    model.params,
  );
  return { config, params };
}

/**
 * The model with a classifier for `classNames`: the same model when its head already has that many
 * classes, else a fresh (seeded) linear classifier — and fresh per-layer classifiers of a
 * multi-head model — of the new width on the same backbone and head LayerNorm. Takes ownership of
 * `model`: the classifiers it replaces are disposed. Fine-tuning on a user's dataset with other
 * classes starts here.
 */
export function withClassHead(
  model: LoadedModel,
  classNames: readonly string[],
  seed: number,
): LoadedModel {
  if (model.config.numClasses === classNames.length) return model;
  const config = { ...model.config, numClasses: classNames.length, labels: [...classNames] };
  const replaced: Variable[] = [];
  const params = buildParams(
    config,
    (spec, existing) => {
      if (existing && existing.shape.every((d, i) => d === spec.shape[i])) return existing;
      if (existing) replaced.push(existing);
      return variableFrom(initialValues(spec, seed), spec.shape);
    },
    model.params,
  );
  replaced.forEach((v) => v.dispose());
  return { config, params };
}
