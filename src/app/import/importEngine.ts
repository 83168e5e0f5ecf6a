// The engine calls of the model and activation imports, as the app sees them: the worker behind
// comlink on the page (callbacks proxied), a fake in tests.
import * as Comlink from 'comlink';
import type {
  ActivationFileReport,
  DatasetInfo,
  ImportFile,
  ModelImportRequest,
  ModelImportSummary,
  ModelInfo,
  ProgressEvent,
  SimilarityMetric,
} from '../../engine/apiTypes';
import { getEngine } from '../useEngine';

type OnProgress = (e: ProgressEvent) => void;

export interface ImportEngine {
  importModel(request: ModelImportRequest, onProgress?: OnProgress): Promise<ModelImportSummary>;
  useImportedModel(token: string, dataset: string): Promise<ModelInfo>;
  discardImportedModel(token: string): Promise<void>;
  /** Every dataset, with those re-encoded for imported text models. */
  listDatasets(): Promise<DatasetInfo[]>;
  analyzeActivationFile(
    file: ImportFile,
    metrics: SimilarityMetric[],
    onProgress?: OnProgress,
    readId?: string,
  ): Promise<ActivationFileReport>;
  /** Stops the engine's read named `readId` (an activation file or a dataset) between chunks. */
  cancelRead(readId: string): Promise<void>;
}

let override: ImportEngine | null = null;

/** Tests: use `engine` instead of the page's worker (null restores it). */
export function setImportEngine(engine: ImportEngine | null): void {
  override = engine;
}

/** The engine the importers call; throws (with a message for people) before the worker exists. */
export function importEngine(): ImportEngine {
  if (override) return override;
  const remote = getEngine().api;
  const proxy = (f?: OnProgress) => (f ? Comlink.proxy(f) : undefined);
  return {
    importModel: (request, onProgress) => remote.importModel(request, proxy(onProgress)),
    useImportedModel: (token, dataset) => remote.useImportedModel(token, dataset),
    discardImportedModel: (token) => remote.discardImportedModel(token),
    listDatasets: () => remote.listDatasets(),
    analyzeActivationFile: (file, metrics, onProgress, readId) =>
      remote.analyzeActivationFile(file, metrics, {}, proxy(onProgress), readId),
    cancelRead: (readId) => remote.cancelRead(readId),
  };
}
