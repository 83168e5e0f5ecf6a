// The engine methods of issue 6's model and activation imports, mixed into EngineApi (api.ts).
import type { DatasetInfo, ModelInfo, ProgressEvent } from '../apiTypes';
import type { Dataset } from '../data/types';
import type {
  ActivationFileReport,
  ImportFile,
  ModelImportRequest,
  ModelImportSummary,
} from '../import/userImportTypes';
import type { SimilarityOptions } from '../metrics/similarity';
import type { TaskRegistry } from '../tasks';
import type { SimilarityMetric } from '../metrics/types';
import { isDecoderCheckpoint } from '../decoder/loadDecoder';
import { analyzeActivationFile } from './activationAnalysis';
import { importDecoder } from './decoderImport';
import type { ModelImports } from './modelImports';

type OnProgress = (e: ProgressEvent) => void;

export interface UserImportApi {
  /**
   * Reads a dropped checkpoint (Hugging Face ViT / DeiT / BERT classifier, or Strata's own) in the
   * worker, checks every key and tensor, and holds it aside: the summary says what it is and which
   * known datasets can feed it. Nothing is listed until useImportedModel.
   */
  importModel(
    request: ModelImportRequest,
    onProgress?: OnProgress,
    task?: string,
  ): Promise<ModelImportSummary>;
  /**
   * The review of a dropped checkpoint from config.json and the weights' headers alone (no tensor
   * read): the same summary as importModel, in a moment. The weights load with
   * loadImportedWeights; useImportedModel waits for them (or loads them).
   */
  reviewModel(
    request: ModelImportRequest,
    onProgress?: OnProgress,
    task?: string,
  ): Promise<ModelImportSummary>;
  /**
   * Streams a reviewed model's weights into the backend; progress is bytes read of all, with
   * tensors uploaded. `task` names it for cancelRead / abortTask: it then stops, frees what it
   * read and rejects; the review stays staged.
   */
  loadImportedWeights(token: string, onProgress?: OnProgress, task?: string): Promise<void>;
  /** Lists a staged import as a model of `dataset` under a fresh `user-…` id. */
  useImportedModel(token: string, dataset: string): Promise<ModelInfo>;
  /** Frees a staged import (Cancel). */
  discardImportedModel(token: string): Promise<void>;
  /** Closes a listed model: its weights are freed; a user's model is forgotten (models.ts). */
  closeModel(id: string): Promise<void>;
  /**
   * Similarity of the layers in an .npz / .npy / .safetensors activation file, read in the worker;
   * `readId` names the read (a task id) for cancelRead or abortTask.
   */
  analyzeActivationFile(
    file: ImportFile,
    metrics: SimilarityMetric[],
    options?: SimilarityOptions,
    onProgress?: OnProgress,
    readId?: string,
  ): Promise<ActivationFileReport>;
  /**
   * Cancels the read named `readId` (an activation file, a dataset or a model import): it stops
   * between chunks, frees what it read and rejects with a ReadCancelledError (a TaskAbortedError
   * once past the read). A finished read is unaffected. The same as abortTask(readId).
   */
  cancelRead(readId: string): Promise<void>;
}

export function createUserImportApi(deps: {
  imports: ModelImports;
  requireBackend(): void;
  /** Runs a call so that a device loss interrupts it cleanly (DeviceRecovery.run). */
  guarded<T>(call: () => Promise<T>): Promise<T>;
  /** Every dataset the engine knows (built-in and, when registered, the user's). */
  datasets(): Promise<DatasetInfo[]>;
  /** Loads a known dataset (to re-encode its texts for an imported text model). */
  load(name: string): Promise<Dataset>;
  /** The engine's tasks (api.ts): reads are tasks too. */
  reads: TaskRegistry;
  closeModel(id: string): Promise<void>;
}): UserImportApi {
  const { imports } = deps;
  // Decoders summed up by importModel, by token: checked and freed, never listed.
  const decoders = new Map<string, string>();
  let decoderCount = 0;
  /** A decoder folder's summary (decoderImport.ts), or undefined for a classifier. */
  const decoderSummary = async (
    request: ModelImportRequest,
    onProgress: OnProgress | undefined,
    task: string | undefined,
  ): Promise<ModelImportSummary | undefined> => {
    if (!(await isDecoderCheckpoint(request))) return undefined;
    const token = `decoder-${++decoderCount}`;
    const datasets = await deps.datasets();
    const signal = deps.reads.begin(task);
    try {
      const summary = await deps.guarded(() =>
        importDecoder(request, datasets, token, onProgress, signal),
      );
      decoders.set(token, `${request.name} (${summary.architecture})`);
      return summary;
    } finally {
      deps.reads.end(task);
    }
  };
  return {
    async importModel(request, onProgress, task) {
      deps.requireBackend();
      const decoder = await decoderSummary(request, onProgress, task);
      if (decoder) return decoder;
      const datasets = await deps.datasets();
      const started: Promise<ModelImportSummary>[] = [];
      const signal = deps.reads.begin(task);
      try {
        return await deps.guarded(() => {
          started.push(imports.stage(request, datasets, onProgress, signal));
          return started[0];
        });
      } catch (e) {
        // Interrupted by a device loss: nobody will hear of this import, so free it when done.
        for (const work of started)
          void work.then(
            (summary) => imports.discard(summary.token),
            () => undefined,
          );
        throw e;
      } finally {
        deps.reads.end(task);
      }
    },
    async reviewModel(request, onProgress, task) {
      deps.requireBackend();
      // A decoder's review reads its weights too: it is short, and there is nothing to stage.
      const decoder = await decoderSummary(request, onProgress, task);
      if (decoder) return decoder;
      const datasets = await deps.datasets();
      const signal = deps.reads.begin(task);
      try {
        return await imports.review(request, datasets, onProgress, signal);
      } finally {
        deps.reads.end(task);
      }
    },
    async loadImportedWeights(token, onProgress, task) {
      deps.requireBackend();
      if (decoders.has(token)) return; // read and checked by importModel already
      const signal = deps.reads.begin(task);
      try {
        await deps.guarded(() => imports.loadWeights(token, onProgress, signal));
      } finally {
        deps.reads.end(task);
      }
    },
    async useImportedModel(token, dataset) {
      deps.requireBackend();
      const decoder = decoders.get(token);
      if (decoder)
        throw new Error(
          `${decoder}: a language model is not listed as a classifier of ${dataset}; run lens or hiddenStates on its files`,
        );
      const info = (await deps.datasets()).find((d) => d.name === dataset);
      if (!info) throw new Error(`unknown dataset "${dataset}" for the imported model`);
      return deps.guarded(() => imports.commit(token, info, deps.load));
    },
    async discardImportedModel(token) {
      if (decoders.delete(token)) return;
      imports.discard(token);
    },
    async closeModel(id) {
      await deps.closeModel(id);
    },
    async analyzeActivationFile(file, metrics, options, onProgress, readId) {
      const signal = deps.reads.begin(readId);
      try {
        deps.requireBackend();
        return await deps.guarded(() =>
          analyzeActivationFile(file, metrics, options, onProgress, signal),
        );
      } finally {
        deps.reads.end(readId);
      }
    },
    async cancelRead(readId) {
      deps.reads.abort(readId);
    },
  };
}
