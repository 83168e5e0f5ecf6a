// What an LM fine-tune is called wherever it is listed, e.g. "imdb-lm-standard → aligned, 30
// steps, lr 1e-3". Pure: the page names a run before the engine has started it.
import { formatLearningRate } from '../session/runName';
import type { LmTrainRequest } from './lmTrainTypes';

/** The base, the loss (its layer weights when not linear), steps, lr, and the seed when not 0. */
export function lmFineTuneName(
  r: Pick<LmTrainRequest, 'source' | 'loss' | 'weighting' | 'steps' | 'lr' | 'seed'>,
): string {
  const w = r.weighting;
  const weights =
    r.loss === 'standard' || w === 'linear' ? '' : ` (${Array.isArray(w) ? 'custom' : w} weights)`;
  const parts = [
    `${r.source} → ${r.loss}${weights}`,
    `${r.steps} ${r.steps === 1 ? 'step' : 'steps'}`,
    `lr ${formatLearningRate(r.lr)}`,
  ];
  if (r.seed !== 0) parts.push(`seed ${r.seed}`);
  return parts.join(', ');
}
