// What the benchmark page (bench/browser/main.ts) offers on window.strataBench, and the jobs it
// takes: the contract between the page and the harness that drives it (browserSession.ts).
import type { BackendInfo, BackendName } from '../../src/engine/api';
import type { SimilarityMetric } from '../../src/engine/metrics/types';

export interface BrowserSimilaritySpec {
  layers: number;
  n: number;
  d: number;
  seed: number;
  jobs: { metrics: SimilarityMetric[]; batchSize?: number }[];
  warmup: number;
  reps: number;
}

export interface BrowserTrainingSpec {
  model: string;
  dataset: string;
  batch: number;
  warmup: number;
  reps: number;
}

export interface StrataBench {
  init(backend: BackendName): Promise<BackendInfo>;
  /** Each job's times (ms, after warm-up) and its last similarity matrices. */
  similarity(
    spec: BrowserSimilaritySpec,
  ): Promise<{ jobs: { times: number[]; matrices: Record<string, (number | null)[][]> }[] }>;
  /** Each timed fine-tune step's time (ms). */
  training(spec: BrowserTrainingSpec): Promise<{ times: number[] }>;
}
