import type { LeaksTask } from './node/leaks';

/** Sizes and repetitions of every workload: the (full) and small ones for development. */
export interface Sizes {
  w1: {
    layers: number;
    n: number;
    d: number;
    batchSize: number;
    warmup: number;
    reps: number;
    /** Measured milliseconds after which a slow row stops at 3 runs (stats.ts). */
    budgetMs: number;
  };
  w2: { batch: number; warmup: number; reps: number; torchReps: number; budgetMs: number };
  w3: { fineTuneSteps: number; port: number };
  w4: {
    n: number;
    batchSize: number;
    shapes: { layers: number; d: number }[];
    /** `strata analyze --activations` on a .npy of this shape, as a whole process. */
    cli: { layers: number; n: number; d: number; metrics?: string }[];
  };
  /** The leak check's steps and analyses (node/leaks.ts). */
  w5: Omit<LeaksTask, 'kind'>;
  /** Real-size checkpoints (bench/reference/real_models.py): forward batch, analysis samples. */
  w6: { batchSize: number; analyzeSamples: number };
  /** W1's layers (sizes.w1) as whole processes: timed runs, and runs of the slow pair-by-pair one. */
  w7: { reps: number; gramReps: number; budgetMs: number };
}

export const FULL_SIZES: Sizes = {
  w1: { layers: 13, n: 4096, d: 256, batchSize: 256, warmup: 1, reps: 5, budgetMs: 60_000 },
  w2: { batch: 128, warmup: 3, reps: 10, torchReps: 30, budgetMs: 60_000 },
  w3: { fineTuneSteps: 100, port: 4391 },
  w4: {
    n: 60_000,
    batchSize: 256,
    shapes: [
      { layers: 13, d: 256 },
      { layers: 7, d: 64 },
    ],
    cli: [
      { layers: 6, n: 20_000, d: 64 },
      { layers: 13, n: 100_000, d: 256, metrics: 'cka-minibatch' },
    ],
  },
  w5: {
    steps: 1000,
    trainBatch: 16,
    sampleEvery: 50,
    analyses: 100,
    analysisN: 1000,
    analysisD: 64,
    analysisLayers: 7,
  },
  w6: { batchSize: 4, analyzeSamples: 64 },
  w7: { reps: 5, gramReps: 5, budgetMs: 240_000 },
};

export const QUICK_SIZES: Sizes = {
  w1: { layers: 13, n: 512, d: 64, batchSize: 128, warmup: 1, reps: 3, budgetMs: 5_000 },
  w2: { batch: 32, warmup: 1, reps: 3, torchReps: 5, budgetMs: 10_000 },
  w3: { fineTuneSteps: 10, port: 4391 },
  w4: {
    n: 6_000,
    batchSize: 256,
    shapes: [{ layers: 13, d: 64 }],
    cli: [{ layers: 6, n: 4_000, d: 32 }],
  },
  w5: {
    steps: 40,
    trainBatch: 8,
    sampleEvery: 10,
    analyses: 10,
    analysisN: 200,
    analysisD: 32,
    analysisLayers: 4,
  },
  w6: { batchSize: 4, analyzeSamples: 16 },
  w7: { reps: 2, gramReps: 1, budgetMs: 10_000 },
};
