// Plain-data records that cross the worker boundary (EngineApi in api.ts). No tensors, no
// classes: numbers, strings, arrays, typed arrays.
import type { BackendInfo, BackendName } from './backend';
import type { ExitPoint, ExitTradeoff } from './exits/tradeoff';
import type { ExitRule } from './exits/rules';
import type { NamedArray } from './io/dtypes';
import type { MetricAgreement } from './metrics/agreement';
import type { SimilarityMetric } from './metrics/types';
import type { CrossSimilarityReport } from './pipeline/analyzeAcross';
import type { CapturePooling } from './model/forward';
import type { LossKind } from './train/losses';
import type { LayerWeighting } from './train/schedule';
import type { EvalLog, TrainLog } from './train/trainer';
import type { CheckpointBlobs } from './import/userImportTypes';

export type {
  BackendInfo,
  BackendName,
  ExitPoint,
  ExitRule,
  ExitTradeoff,
  EvalLog,
  LayerWeighting,
  LossKind,
  MetricAgreement,
  SimilarityMetric,
  TrainLog,
};
export type Pooling = CapturePooling;
export type * from './import/userImportTypes';
export type * from './import/datasetImportTypes';
export type * from './decoder/decoderApiTypes';
export type * from './decoder/lmTrainTypes';
export type { DecoderSummary } from './decoder/decoderSummary';
export type { LensResult } from './decoder/logitLens';
export type { HiddenStatesPiece, HiddenStatesSink } from './io/hiddenStatesPieces';
export type { DatasetInfo, DatasetSummary } from './data/datasetInfo';

/** A built-in checkpoint listed in public/models/manifest.json. */
export interface ModelInfo {
  /** `mnist-aligned`, or `finetuned-1` for a model trained in this session. */
  id: string;
  title: string;
  dataset: string;
  /** How it was trained: standard, aligned or multihead. */
  loss: LossKind;
  numLayers: number;
  hiddenSize: number;
  numClasses: number;
  kind: 'image' | 'text';
  /** Per-layer heads (multi-head baseline) besides the shared head. */
  perLayerHeads: boolean;
  builtin: boolean;
  /**
   * Which weights the id stands for: the fine-tuning steps they embody (a fine-tune trains in
   * place under one id, so this rises with every step); 0 for built-in and imported models.
   * Every result says the revision it was computed at.
   */
  revision: number;
  /** Weights in the checkpoint, where the engine has read them (an imported model). */
  parameters?: number;
  /** Tokens one input carries through the blocks (class token included), where known. */
  tokensPerSample?: number;
}

export interface AnalysisRequest {
  modelId: string;
  dataset: string;
  /** Test rows to capture (a seeded sample). */
  samples: number;
  seed: number;
  pooling: Pooling;
  metrics: SimilarityMetric[];
  /** Whether the shared classifier applies the final LayerNorm (docs/design.md §3; default on). */
  finalNormInHead: boolean;
  /** Rows per batch of minibatch CKA. */
  batchSize: number;
  rbfT: number;
}

/**
 * What analyze takes: a request whose pooling and metrics may be left out — then the model's own
 * pooling and every metric that applies (the result's `request` names what was used).
 */
export type AnalysisQuery = Omit<AnalysisRequest, 'pooling' | 'metrics'> &
  Partial<Pick<AnalysisRequest, 'pooling' | 'metrics'>>;

/** Two checkpoints on the same test samples: analyze's query and the model B to compare with. */
export type CrossAnalysisQuery = AnalysisQuery & {
  versusModelId: string;
  /** Neighbours of mutual k-NN (default 10). */
  knnK?: number;
};

/** Each layer of A (rows) against each layer of B (columns), per measure; see analyzeAcross. */
export interface CrossAnalysisResult extends CrossSimilarityReport {
  request: CrossAnalysisQuery;
  /** The revisions of A and B the numbers were computed at. */
  revisions: [number, number];
}

/** Everything the Similarity and Per-layer accuracy panels draw for one checkpoint. */
export interface AnalysisResult {
  /** The request as run: pooling and metrics filled in when the query left them out. */
  request: AnalysisRequest;
  layers: string[];
  /** Rows the metrics used (samples, or tokens with `tokens` pooling). */
  n: number;
  /**
   * `tokens` pooling: token rows kept per layer, real ones seen, and the cap (a bounded share of
   * memory, pipeline/capture.ts). kept < total: the rows are the tokens of the first samples.
   */
  tokenRows?: { kept: number; total: number; cap: number };
  metrics: Partial<Record<SimilarityMetric, (number | null)[][]>>;
  notes: Partial<Record<SimilarityMetric, string[]>>;
  agreement: Record<string, MetricAgreement>;
  /** Metrics asked for that were not computed (memory), each with why. */
  skipped?: Partial<Record<SimilarityMetric, string>>;
  /**
   * Shared classifier g at every layer 0..L: accuracy (fraction) and mean cross-entropy. Empty
   * when `accuracyUnavailable` says why (the similarity views need no labels).
   */
  accuracy: number[];
  loss: number[];
  /**
   * Why there is no accuracy: the model's head reads other classes than the dataset's (a user's
   * dataset; fine-tuning on it starts a head for its classes). Absent when accuracy is measured.
   */
  accuracyUnavailable?: string;
  /**
   * Multi-head models only (config heads "per-layer"): accuracy of the multi-exit baseline at
   * layers 1..L, index 0 = layer 1 — g_1..g_{L−1}, and at L the model's own head g, as it exits
   * (exitLogits in losses.ts). The L-th per-layer head, which no loss trains, is never read.
   */
  headAccuracy?: number[];
  /** Mean cross-entropy of the same classifiers, index 0 = layer 1. */
  headLoss?: number[];
  /** First layer (0..L) within 1 point of the last layer's accuracy. */
  minimalDepth: number;
  /** Count of samples whose saturation layer is l, l = 0..L. */
  saturationHistogram: number[];
  /**
   * Class means of every layer's pooled features projected on two principal axes shared by all
   * layers: points[l][c] = [x, y] for layer l, class c.
   */
  classMeans: { points: [number, number][][]; explained: [number, number] };
  elapsedMs: number;
  /** The model's revision (ModelInfo.revision) whose weights these numbers are of. */
  revision: number;
}

export interface ExitRequest {
  modelId: string;
  dataset: string;
  samples: number;
  seed: number;
  rule: ExitRule;
  /**
   * exitReadout: the revision whose sweep to read (ExitResult.revision); absent: the model's
   * current one. exitTradeoff always sweeps the current weights.
   */
  revision?: number;
}

export interface ExitResult {
  request: ExitRequest;
  /** Which classifier exits: the shared one, or the per-layer heads of a multi-head model. */
  classifier: 'shared' | 'per-layer';
  tradeoff: ExitTradeoff;
  /** The model's revision (ModelInfo.revision) whose weights were swept. */
  revision: number;
}

/** One threshold's readout, computed exactly from cached scores (fast: for a slider). */
export interface ExitReadout {
  point: ExitPoint;
  /** Samples exiting at layer l, l = 1..L (index 0 = layer 1). */
  histogram: number[];
}

export interface TrainRequest {
  /** The checkpoint to fine-tune. */
  baseModelId: string;
  dataset: string;
  loss: LossKind;
  /** The layers' loss weights: a schedule, or one weight per layer (docs/design.md §3). */
  weighting: LayerWeighting;
  lr: number;
  batchSize: number;
  steps: number;
  seed: number;
  /** Evaluate per-layer test accuracy every this many steps. */
  evalEvery: number;
  /** Warm-up steps of the lr schedule (default: 20, at most a tenth of the steps). */
  warmupSteps?: number;
  /** AdamW's weight decay (default 0.01). */
  weightDecay?: number;
  /** Steps between two log events (default 1). */
  logEvery?: number;
  /** Test rows of each evaluation (default 500). */
  evalSamples?: number;
}

/**
 * A resumable snapshot of a fine-tune (sent every few dozen steps and at pause, stop and done):
 * restored with startTraining(request, onEvent, { resumeFrom }), the run continues exactly where
 * it stood — the lr schedule is a function of the step and the data order is seeded.
 */
export interface TrainSnapshot {
  version: 1;
  /** The fine-tuned model (its id, e.g. `finetuned-1`, stays the same across resumes). */
  model: ModelInfo;
  request: TrainRequest;
  /** Steps taken. */
  step: number;
  /** The run's state when the snapshot was taken: running or paused = unfinished. */
  state: 'running' | 'paused' | 'stopped' | 'done';
  /** Where the seeded data order stands (epoch, and batch within it), for readers and checks. */
  dataPosition: { epoch: number; batch: number };
  /** The checkpoint: model.safetensors and config.json bytes. */
  weights: Uint8Array;
  config: Uint8Array;
  /** AdamW's moments (`m.<tensor>`, `v.<tensor>`) as safetensors, its step in the metadata. */
  optimizer: Uint8Array;
}

/** Options of startTraining. */
export interface StartTrainingOptions {
  /** Continue this saved run instead of starting a fresh copy of the base model. */
  resumeFrom?: TrainSnapshot;
  /** Send a snapshot every this many steps (default 25; 0: only at pause, stop and done). */
  snapshotEvery?: number;
  /** Ids a new run must not take (saved by the page but not loaded into the engine). */
  avoidIds?: string[];
  /**
   * The new run's number, handed out by the caller so that runs of several pages never share an id:
   * the run is `finetuned-<n>`. Without it the session counts on its own.
   */
  runNumber?: number;
  /** Names the run for abortTask: it then stops between steps, is dropped, and rejects. */
  task?: string;
}

/** A checkpoint's two files, e.g. read back from the page's storage or a session file. */
export interface CheckpointBytes {
  weights: Uint8Array;
  config: Uint8Array;
}

/** A checkpoint and the inputs to run through it, for hiddenStates. */
export interface HiddenStatesRequest {
  /**
   * Strata's own checkpoint or a Hugging Face classifier: bytes, or Blobs read slice by slice (a
   * folder's files opened with fs.openAsBlob; one model.safetensors or an index and its shards).
   */
  files: CheckpointBytes | CheckpointBlobs;
  /** Names the checkpoint in error messages (e.g. its folder). */
  source: string;
  /** `pixel_values` [N, C, H, W], or `input_ids` [N, T] with an optional `attention_mask`. */
  input: NamedArray[];
  /** Names the input in error messages (e.g. its file). */
  inputSource: string;
  /** Samples per forward pass (default 16). */
  batchSize?: number;
}

/** transformers' `hidden_states` and `logits` of a hiddenStates request. */
export interface HiddenStatesResult {
  /** hidden_0 … hidden_L, each [N, T, D], then logits [N, C]; empty when a sink took them. */
  arrays: NamedArray[];
  /** `strata`, or the transformers class the checkpoint was read as. */
  format: string;
  /** Checkpoint tensors the classifier does not use. */
  unusedTensors: string[];
}

/**
 * What a run does before its first step is done: loading the dataset, copying the model (or
 * restoring a snapshot) and building the optimiser, then the first step (kernels compile).
 */
export type TrainPhase = 'dataset' | 'model' | 'first-step';

/** Events of a training run, sent to the page through a callback. */
export type TrainEvent =
  | { type: 'preparing'; phase: TrainPhase }
  | { type: 'log'; log: TrainLog }
  | { type: 'eval'; log: EvalLog }
  | { type: 'state'; state: 'running' | 'paused' | 'stopped' | 'done'; step: number }
  | { type: 'checkpoint'; model: ModelInfo }
  | { type: 'snapshot'; snapshot: TrainSnapshot };

export interface ProgressEvent {
  phase: string;
  done: number;
  total: number;
  /** A checkpoint's weights: tensors uploaded of all (done/total are then bytes read). */
  tensors?: { done: number; total: number };
}
