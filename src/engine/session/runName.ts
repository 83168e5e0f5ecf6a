// What a fine-tune is called wherever it is listed: what it was made from and how, e.g.
// "mnist-aligned → aligned, 200 steps, lr 1e-4", not its id (`finetuned-1`).
import type { ModelInfo, TrainRequest } from '../apiTypes';

const LOSS_NAMES: Record<TrainRequest['loss'], string> = {
  standard: 'standard',
  aligned: 'aligned',
  multihead: 'multi-head',
};

/** "1e-4", "2.5e-4", "0.01": small rates as powers of ten, the way papers write them. */
export function formatLearningRate(lr: number): string {
  if (!Number.isFinite(lr) || lr <= 0 || lr >= 0.01) return String(lr);
  return lr.toExponential(); // shortest digits: 1e-4, 2.5e-4
}

/** A base model's name in a fine-tune's: its id, or for a fine-tune of a fine-tune, its name. */
const baseName = (base: Pick<ModelInfo, 'id' | 'title'>): string =>
  /^finetuned-\d+$/.test(base.id) ? base.title : base.id;

/**
 * "mnist-aligned → aligned, 200 steps, lr 1e-4"; the layer weights when not the default linear
 * ones, the seed when not 0, and a new head's classes when the dataset brought other classes.
 */
export function fineTuneName(
  base: Pick<ModelInfo, 'id' | 'title'>,
  request: Pick<TrainRequest, 'loss' | 'weighting' | 'steps' | 'lr' | 'seed'>,
  newHeadClasses?: number,
): string {
  const w = request.weighting;
  const weighting =
    request.loss === 'standard' || w === 'linear'
      ? ''
      : ` (${Array.isArray(w) ? 'custom' : w} weights)`;
  const parts = [
    `${baseName(base)} → ${LOSS_NAMES[request.loss]}${weighting}`,
    `${request.steps} ${request.steps === 1 ? 'step' : 'steps'}`,
    `lr ${formatLearningRate(request.lr)}`,
  ];
  if (request.seed !== 0) parts.push(`seed ${request.seed}`);
  if (newHeadClasses !== undefined) parts.push(`new ${newHeadClasses}-class head`);
  return parts.join(', ');
}

/** `name`, or "`name` #n" when a listed model is already called that. */
export function uniqueName(name: string, taken: readonly string[], number: number): string {
  return taken.includes(name) ? `${name} #${number}` : name;
}
