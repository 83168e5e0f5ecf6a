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

// Sized for two cores, wasm: width 64, vocabulary 1,024, batch 8 (width 128, vocabulary 2,048,
// batch 16 did not reach step 10 in 6 minutes on a loaded machine). An aligned step takes about
// 2.1 s at a load of 4 (its L projections to the vocabulary dominate a step); 160 steps left both
// models at the frequency of [UNK] (20.5 % next-token accuracy at every layer); 400 steps, both
// models side by side in about 30 minutes, are what one sitting affords.
export const LM_RECIPE: LmRecipe = {
  vocabSize: 1024,
  numLayers: 4,
  hiddenSize: 64,
  numHeads: 4,
  positions: 128,
  initStd: 0.02,
  weighting: 'linear',
  steps: 400,
  batchSize: 8,
  lr: 3e-3,
  warmupSteps: 20,
  weightDecay: 0.01,
  clipNorm: 1,
  seed: 1,
  evalRows: 500,
  saveEvery: 100,
};

export const LM_LOSSES = ['standard', 'aligned'] as const;

export const lmModelName = (loss: 'standard' | 'aligned') => `imdb-lm-${loss}`;
