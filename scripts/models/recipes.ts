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
// cosine decay, batch 128. 2,000 steps is 4.3 epochs of MNIST, 1,500 is 3.2 epochs of
// Fashion-MNIST (~0.4 s a step per process on wasm with two processes on two cores: 14 and
// 10 minutes).
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

// Text recipes: the text-imdb encoder (4 blocks, width 64, 128 tokens + a class token), one
// epoch of the 25,000 training reviews at batch 32. Attention over 129 positions runs on wasm's
// scalar batched matmul (~1.4 s a step with two processes: 18 minutes), so one epoch is what the
// time affords; a second epoch added about 1.5 points in a trial run of the same architecture.
const text = (steps: number): Recipe[] =>
  LOSSES.map((loss) => ({
    dataset: 'imdb',
    preset: 'text-imdb',
    loss,
    schedule: 'linear',
    steps,
    batchSize: 32,
    lr: 2e-3,
    warmup: 50,
    seed: 1,
    evalEvery: 260,
  }));

/**
 * Every built-in checkpoint. The text models come first: they are the longest jobs, and the job
 * pool takes recipes in this order, so starting them first keeps both processes busy to the end.
 */
export const RECIPES: Recipe[] = [
  ...text(780),
  ...vision('mnist', 2000),
  ...vision('fashion-mnist', 1500),
];
