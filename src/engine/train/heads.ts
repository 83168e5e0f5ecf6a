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
