// The engine's public interface, as types: what the page (through the worker) and tests call.
// Only plain data crosses it — numbers, typed arrays, small records, Blobs — never a tensor, so it
// runs unchanged in a Web Worker and in Node. createEngine (api.ts) implements it.
import type { BackendInfo, BackendName } from './backend';
import type {
  AnalysisQuery,
  CrossAnalysisQuery,
  CrossAnalysisResult,
  AnalysisResult,
  CheckpointBlobs,
  CheckpointBytes,
  DatasetInfo,
  DatasetSummary,
  ExitReadout,
  ExitRequest,
  ExitResult,
  HiddenStatesRequest,
  HiddenStatesResult,
  HiddenStatesSink,
  LensRequest,
  LensResponse,
  LmExitsRequest,
  LmTrainEvent,
  LmTrainOptions,
  LmTrainRequest,
  LmTrainResult,
  DecoderSimilarityRequest,
  DecoderSimilarityResponse,
  LmExitsResponse,
  GenerateRequest,
  GenerateResponse,
  ModelInfo,
  ProgressEvent,
  StartTrainingOptions,
  TrainEvent,
  TrainRequest,
} from './apiTypes';
import type { DemoResult } from './demo';
import type { BackendEvent } from './deviceLoss';
import type { GpuBufferLimits } from './gpuLimits';
import type { SimilarityOptions } from './metrics/similarity';
import type { SimilarityMetric } from './metrics/types';
import type { LayerActivations, SimilarityReport } from './pipeline/analyze';
import type { DatasetImportApi } from './session/datasetImportApi';
import type { Transfer } from './session/training';
import type { UserImportApi } from './session/userImportApi';

/** The backend's memory, for checks from the outside (e.g. that closing a model frees it). */
export interface EngineMemory {
  numTensors: number;
  numBytes: number;
  /** WebGPU only: bytes of tensors held in GPU buffers. */
  gpuBytes?: number;
  /** WebGPU only: the device's limits on one buffer (what the adapter offers). */
  gpuLimits: GpuBufferLimits | null;
}

/** What the surroundings provide: where WASM binaries live, and how to read shipped assets. */
export interface EngineHost {
  wasmPaths?: Record<string, string>;
  /** Reads a file shipped under public/ (e.g. `datasets/manifest.json`). */
  readAsset(path: string): Promise<Uint8Array>;
  /** Moves large buffers to the page instead of copying them (comlink.transfer in the worker). */
  transfer?: Transfer;
}

export type OnProgress = (e: ProgressEvent) => void;

export interface EngineApi extends UserImportApi, DatasetImportApi {
  /**
   * Starts a backend by the policy in backend.ts; call once before anything else. `testHooks`
   * (the page's `?test-hooks=1`) enables loseDeviceForTest.
   */
  init(options: { backend?: BackendName; testHooks?: boolean }): Promise<BackendInfo>;
  /**
   * Hears when the engine moved to another backend because its GPU device was lost; calls in
   * flight then reject with DeviceLostError (deviceLoss.ts) and asking again runs on the new one.
   * When no other backend could start it hears that instead, and every later call is refused.
   */
  watchBackend(listener: (change: BackendEvent) => void): Promise<void>;
  /** Test hook (init with testHooks only): loses the device as a driver reset would. */
  loseDeviceForTest(): Promise<void>;
  /** softmax(A·B) on deterministic inputs: proves the pipe from page to backend and back. */
  demo(seed: number): Promise<DemoResult>;
  /** Tensors alive in the engine (for leak checks from the outside). */
  numTensors(): Promise<number>;
  /** What the backend holds (bytes in GPU buffers on WebGPU) and its device's buffer limits. */
  memory(): Promise<EngineMemory>;
  listModels(): Promise<ModelInfo[]>;
  listDatasets(): Promise<DatasetInfo[]>;
  /**
   * A dataset's counts and preview, loading it once. `task` names the call for abortTask: an
   * abort stops the load between its files when no other call waits for it.
   */
  loadDataset(name: string, onProgress?: OnProgress, task?: string): Promise<DatasetSummary>;
  /**
   * Similarity over activations the caller already has (one [n, d] array per layer): the
   * analysis-only path for activation files, and the browser parity check of the metrics.
   */
  analyzeActivations(
    layers: LayerActivations[],
    metrics?: SimilarityMetric[],
    options?: SimilarityOptions,
    task?: string,
  ): Promise<SimilarityReport>;
  /**
   * Captures a checkpoint's layers on test samples; similarity, per-layer accuracy and more.
   * `task` names the call for abortTask (so do the `task` arguments and options below).
   */
  analyze(request: AnalysisQuery, onProgress?: OnProgress, task?: string): Promise<AnalysisResult>;
  /** Two checkpoints' layers on the same samples, every layer of A against every layer of B. */
  analyzeAcross(
    request: CrossAnalysisQuery,
    onProgress?: OnProgress,
    task?: string,
  ): Promise<CrossAnalysisResult>;
  /** The early-exit trade-off of a rule over its default thresholds; caches scores for exitReadout. */
  exitTradeoff(request: ExitRequest, onProgress?: OnProgress, task?: string): Promise<ExitResult>;
  /**
   * Stops the call named `task` between two of its batches: it frees its tensors and rejects with
   * a TaskAbortedError (tasks.ts). An abort that overtakes its call stops it as it starts; one
   * after the call ended does nothing. cancelRead is the same for file reads.
   */
  abortTask(task: string): Promise<void>;
  /** One threshold's exact readout, from the scores exitTradeoff cached (fast). */
  exitReadout(request: ExitRequest, threshold: number): Promise<ExitReadout>;
  /**
   * Fine-tunes a copy of a checkpoint; resolves with the new model when the run ends. Sends a
   * resumable snapshot every few dozen steps and at pause, stop and done; `resumeFrom` continues
   * such a snapshot's run (same model id, step, optimiser state and data order).
   */
  startTraining(
    request: TrainRequest,
    onEvent: (e: TrainEvent) => void,
    options?: StartTrainingOptions,
  ): Promise<ModelInfo>;
  /**
   * Loads a stored checkpoint (e.g. a fine-tune saved before a reload; in Node, a checkpoint
   * folder, Strata's own or a Hugging Face classifier) into the model list under `info.id`;
   * resolves with its info as listed. Errors name the files by `source` (default: the id).
   */
  registerCheckpoint(
    info: ModelInfo,
    files: CheckpointBytes | CheckpointBlobs,
    source?: string,
  ): Promise<ModelInfo>;
  /**
   * Every layer's hidden states and the logits of a checkpoint (a classifier, or a decoder given
   * as Blobs) on given inputs; keeps nothing. `task` names it for abortTask. With `sink`, the
   * arrays go to it piece by piece (a decoder's batch by batch) and the result holds none.
   */
  hiddenStates(
    request: HiddenStatesRequest,
    onProgress?: OnProgress,
    task?: string,
    sink?: HiddenStatesSink,
  ): Promise<HiddenStatesResult>;
  /**
   * The logit lens of a causal LM (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM) on token
   * ids or on texts read with its tokenizer.json; progress `load` then `lens`; keeps nothing.
   */
  lens(request: LensRequest, onProgress?: OnProgress, task?: string): Promise<LensResponse>;
  /**
   * Layer similarity of a decoder's pooled hidden states on ids or texts (with `versus`, of two
   * decoders of one vocabulary); progress `load` then `hidden states` per model; keeps nothing.
   */
  decoderSimilarity(
    request: DecoderSimilarityRequest,
    onProgress?: OnProgress,
    task?: string,
  ): Promise<DecoderSimilarityResponse>;
  /**
   * A causal LM's teacher-forced early-exit curves per rule on token ids or texts; progress
   * `load` then `exits`; keeps nothing.
   */
  lmExits(
    request: LmExitsRequest,
    onProgress?: OnProgress,
    task?: string,
  ): Promise<LmExitsResponse>;
  /**
   * Greedy generation with early exit (CALM state propagation) from each row's or text's tokens,
   * texts decoded back; progress `load`, `tokens` per new token, `generate` per prompt; an abort
   * stops it between two tokens; keeps nothing.
   */
  generate(
    request: GenerateRequest,
    onProgress?: OnProgress,
    task?: string,
  ): Promise<GenerateResponse>;
  /** Checks that checkpoint files load (errors name `source` and the tensor or field); keeps nothing. */
  validateCheckpoint(files: CheckpointBytes, source: string): Promise<void>;
  /**
   * Fine-tunes a causal LM with the standard or the aligned LM loss (lmTraining.ts); pause, resume
   * and stop are the classifiers' calls. Resolves with the model's files when it ends.
   */
  startLmTraining(
    request: LmTrainRequest,
    onEvent: (e: LmTrainEvent) => void,
    options?: LmTrainOptions,
  ): Promise<LmTrainResult>;
  pauseTraining(): Promise<void>;
  resumeTraining(): Promise<void>;
  stopTraining(): Promise<void>;
}
