// The engine calls the explorer makes, as the app sees them: plain callbacks, promises. The real
// one is the worker behind comlink (callbacks wrapped in Comlink.proxy); tests pass a fake.
import * as Comlink from 'comlink';
import type {
  AnalysisRequest,
  AnalysisResult,
  CheckpointBytes,
  DatasetInfo,
  DatasetSummary,
  ExitReadout,
  ExitRequest,
  ExitResult,
  ModelInfo,
  ProgressEvent,
  StartTrainingOptions,
  TrainEvent,
  TrainRequest,
} from '../engine/apiTypes';

export type OnProgress = (e: ProgressEvent) => void;

export interface ExplorerEngine {
  listModels(): Promise<ModelInfo[]>;
  listDatasets(): Promise<DatasetInfo[]>;
  loadDataset(name: string, onProgress?: OnProgress): Promise<DatasetSummary>;
  analyze(req: AnalysisRequest, onProgress?: OnProgress): Promise<AnalysisResult>;
  exitTradeoff(req: ExitRequest, onProgress?: OnProgress): Promise<ExitResult>;
  /** Fast: computed from the cache exitTradeoff(req) filled. */
  exitReadout(req: ExitRequest, threshold: number): Promise<ExitReadout>;
  /** Resolves when the run ends, with the fine-tuned model (then listed by listModels). */
  startTraining(
    req: TrainRequest,
    onEvent: (e: TrainEvent) => void,
    options?: StartTrainingOptions,
  ): Promise<ModelInfo>;
  /** Loads a stored checkpoint into the engine's model list. */
  registerCheckpoint(info: ModelInfo, files: CheckpointBytes): Promise<ModelInfo>;
  /** Checks that checkpoint files load; keeps nothing. */
  validateCheckpoint(files: CheckpointBytes, source: string): Promise<void>;
  pauseTraining(): Promise<void>;
  resumeTraining(): Promise<void>;
  stopTraining(): Promise<void>;
}

const maybeProxy = <F extends (...args: never[]) => void>(f: F | undefined) =>
  f ? Comlink.proxy(f) : undefined;

/** The explorer's calls on a comlink-wrapped engine worker. */
export function explorerEngineFrom(remote: Comlink.Remote<ExplorerEngine>): ExplorerEngine {
  return {
    listModels: () => remote.listModels(),
    listDatasets: () => remote.listDatasets(),
    loadDataset: (name, onProgress) => remote.loadDataset(name, maybeProxy(onProgress)),
    analyze: (req, onProgress) => remote.analyze(req, maybeProxy(onProgress)),
    exitTradeoff: (req, onProgress) => remote.exitTradeoff(req, maybeProxy(onProgress)),
    exitReadout: (req, threshold) => remote.exitReadout(req, threshold),
    startTraining: (req, onEvent, options) =>
      remote.startTraining(req, Comlink.proxy(onEvent), options),
    // Copied, not transferred: the bytes may be views into a larger buffer (an unzipped session).
    registerCheckpoint: (info, files) => remote.registerCheckpoint(info, files),
    validateCheckpoint: (files, source) => remote.validateCheckpoint(files, source),
    pauseTraining: () => remote.pauseTraining(),
    resumeTraining: () => remote.resumeTraining(),
    stopTraining: () => remote.stopTraining(),
  };
}
