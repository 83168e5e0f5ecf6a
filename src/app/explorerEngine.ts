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
import type { EngineApi } from '../engine/api';
import { callAsTask } from './engineTasks';

export type OnProgress = (e: ProgressEvent) => void;

export interface ExplorerEngine {
  listModels(): Promise<ModelInfo[]>;
  listDatasets(): Promise<DatasetInfo[]>;
  loadDataset(name: string, onProgress?: OnProgress): Promise<DatasetSummary>;
  /** Aborting `signal` stops the engine's work within a batch; the call rejects as aborted. */
  analyze(
    req: AnalysisRequest,
    onProgress?: OnProgress,
    signal?: AbortSignal,
  ): Promise<AnalysisResult>;
  exitTradeoff(
    req: ExitRequest,
    onProgress?: OnProgress,
    signal?: AbortSignal,
  ): Promise<ExitResult>;
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

/** The worker's methods the explorer calls: the same, but tasks named by id, not by signal. */
type ExplorerRemote = Omit<ExplorerEngine, 'analyze' | 'exitTradeoff'> &
  Pick<EngineApi, 'analyze' | 'exitTradeoff' | 'abortTask'>;

/** The explorer's calls on a comlink-wrapped engine worker. */
export function explorerEngineFrom(remote: Comlink.Remote<ExplorerRemote>): ExplorerEngine {
  const abortTask = (task: string) => remote.abortTask(task);
  return {
    listModels: () => remote.listModels(),
    listDatasets: () => remote.listDatasets(),
    loadDataset: (name, onProgress) => remote.loadDataset(name, maybeProxy(onProgress)),
    analyze: (req, onProgress, signal) =>
      callAsTask(signal, abortTask, (task) => remote.analyze(req, maybeProxy(onProgress), task)),
    exitTradeoff: (req, onProgress, signal) =>
      callAsTask(signal, abortTask, (task) =>
        remote.exitTradeoff(req, maybeProxy(onProgress), task),
      ),
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
