import type { LossKind } from '../../src/engine/train/losses';

/** How one built-in checkpoint is trained; everything that decides the run is here. */
export interface Recipe {
  dataset: 'mnist' | 'fashion-mnist' | 'imdb';
  preset: 'vit-mnist' | 'text-imdb';
  loss: LossKind;
  schedule: 'linear' | 'uniform';
  steps: number;
  batchSize: number;
  lr: number;
  warmup: number;
  seed: number;
  evalEvery: number;
}

export function modelName(r: Recipe): string {
  return `${r.dataset}-${r.loss}`;
}

const LOSSES: LossKind[] = ['standard', 'aligned', 'multihead'];

// Vision recipes: the default ViT (6 blocks, width 64, 7×7 patches), AdamW with warm-up and a
// cosine decay, batch 128. The step count is what a 2-core machine affords (~1 step/s on wasm).
const vision = (dataset: 'mnist' | 'fashion-mnist'): Recipe[] =>
  LOSSES.map((loss) => ({
    dataset,
    preset: 'vit-mnist',
    loss,
    schedule: 'linear',
    steps: 1000,
    batchSize: 128,
    lr: 2e-3,
    warmup: 50,
    seed: 1,
    evalEvery: 250,
  }));

export const RECIPES: Recipe[] = [...vision('mnist'), ...vision('fashion-mnist')];
