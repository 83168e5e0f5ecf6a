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

/**
 * W6 in the page: the checkpoint folder's files (config.json, model.safetensors, input.npy or
 * input.npz) as the harness set them on the page's `#checkpoint` file input.
 */
export interface BrowserRealModelSpec {
  /** `load`: importModel as the app does, then discard; `hidden-states`: engine.hiddenStates. */
  job: 'load' | 'hidden-states';
  batchSize: number;
}

/** Main-thread tasks over 50 ms during a page job (PerformanceObserver 'longtask'). */
export interface MainThreadLongTasks {
  count: number;
  longestMs: number;
  totalMs: number;
}

export interface BrowserRealModelResult {
  /** The engine call's time in the page (the input file read and parsed before it). */
  ms: number;
  samples: number;
  /** The transformers class read (importModel's architecture, hiddenStates' format). */
  format: string;
  /** Bytes of tensors the engine still holds after the job (0 when it freed everything). */
  tensorBytesAfter: number;
  /** The page's main thread during the engine call and the delivery of its result. */
  longTasks: MainThreadLongTasks;
}

export interface StrataBench {
  init(backend: BackendName): Promise<BackendInfo>;
  /** Each job's times (ms, after warm-up) and its last similarity matrices. */
  similarity(
    spec: BrowserSimilaritySpec,
  ): Promise<{ jobs: { times: number[]; matrices: Record<string, (number | null)[][]> }[] }>;
  /** Each timed fine-tune step's time (ms). */
  training(spec: BrowserTrainingSpec): Promise<{ times: number[] }>;
  realModel(spec: BrowserRealModelSpec): Promise<BrowserRealModelResult>;
  /**
   * The last hidden-states job's arrays against the .npz on the `#reference` file input:
   * max |Δ| / max(1, |reference|) over the hidden_<l> arrays (hiddenDiff.ts).
   */
  compareHiddenStates(): Promise<{ maxRelDiff: number; layers: number }>;
}
