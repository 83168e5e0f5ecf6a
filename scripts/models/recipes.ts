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
// cosine decay, batch 128. Step counts are what a 2-core machine affords in about an hour for
// all six (~2 steps/s per process on wasm, two processes at a time): 2,000 steps is 4.3 epochs
// of MNIST, 1,500 is 3.2 epochs of Fashion-MNIST.
const vision = (dataset: 'mnist' | 'fashion-mnist', steps: number): Recipe[] =>
  LOSSES.map((loss) => ({
    dataset,
    preset: 'vit-mnist',
    loss,
    schedule: 'linear',
    steps,
    batchSize: 128,
    lr: 2e-3,
    warmup: 50,
    seed: 1,
    evalEvery: 500,
  }));

export const RECIPES: Recipe[] = [...vision('mnist', 2000), ...vision('fashion-mnist', 1500)];
