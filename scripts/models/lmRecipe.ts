import type { LmTrainConfig } from '../../src/engine/train/lmTrainer';

/** The built-in language model: a small GPT-2 on the IMDB reviews' word-level ids. */
export interface LmRecipe extends Omit<LmTrainConfig, 'loss' | 'logEvery'> {
  /** Vocabulary: the first `vocabSize` entries of the IMDB vocabulary (ids ≥ it read as [UNK]). */
  vocabSize: number;
  numLayers: number;
  hiddenSize: number;
  numHeads: number;
  /** n_positions: the IMDB rows' length ([CLS] + 127 words). */
  positions: number;
  /** Initial weights' standard deviation (GPT-2's 0.02; residual projections / √(2L)). */
  initStd: number;
  /** Held-out rows (a seeded sample of the test split) the lens is measured on. */
  evalRows: number;
  /** Save a resumable checkpoint every this many steps. */
  saveEvery: number;
}

// Sized on this machine's 2 shared cores (wasm): see scripts/train-lm.ts for the timing run.
export const LM_RECIPE: LmRecipe = {
  vocabSize: 1024,
  numLayers: 4,
  hiddenSize: 64,
  numHeads: 4,
  positions: 128,
  initStd: 0.02,
  weighting: 'linear',
  steps: 160,
  batchSize: 8,
  lr: 3e-3,
  warmupSteps: 16,
  weightDecay: 0.01,
  clipNorm: 1,
  seed: 1,
  evalRows: 500,
  saveEvery: 40,
};

export const LM_LOSSES = ['standard', 'aligned'] as const;

export const lmModelName = (loss: 'standard' | 'aligned') => `imdb-lm-${loss}`;
