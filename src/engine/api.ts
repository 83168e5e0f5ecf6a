// The engine's public interface: what the page (through the worker) and tests call. Only plain
// data crosses it — numbers, typed arrays, small records — never a tensor, so it runs unchanged
// in a Web Worker and in Node.
import { initBackend, type BackendInfo, type BackendName } from './backend';
import type {
  AnalysisQuery,
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
  ModelInfo,
  ProgressEvent,
  StartTrainingOptions,
  TrainEvent,
  TrainRequest,
} from './apiTypes';
import { loadBuiltinDataset } from './data/builtin';
import type { Dataset } from './data/types';
import { runDemo, type DemoResult } from './demo';
import type { SimilarityOptions } from './metrics/similarity';
import type { SimilarityMetric } from './metrics/types';
import { analyzeLayers, type LayerActivations, type SimilarityReport } from './pipeline/analyze';
import { datasetInfos, parseModelsManifest } from './session/catalogue';
import { runAnalysis } from './session/analysis';
import { hiddenStatesOf } from './session/hiddenStates';
import { ExitCache } from './session/exitCache';
import { ModelRegistry } from './session/models';
import { summarizeDataset } from './session/summaries';
import { TrainingSession, type SessionTrainingOptions, type Transfer } from './session/training';
import { ModelImports } from './session/modelImports';
import { createTaskRegistry } from './tasks';
import { createUserImportApi, type UserImportApi } from './session/userImportApi';
import {
  createDatasetImportApi,
  modelDataMismatch,
  type DatasetImportApi,
} from './session/datasetImportApi';
import { UserDatasets } from './session/userDatasets';
import { createDeviceRecovery } from './session/deviceRecovery';
import type { BackendChange, BackendEvent, BackendRestartFailed } from './deviceLoss';
import { loadCheckpoint } from './checkpoint';
import { disposeParams } from './model/params';
import { activeGpuLimits, type GpuBufferLimits } from './gpuLimits';
import { tf } from './tf';

/** The backend's memory, for checks from the outside (e.g. that closing a model frees it). */
export interface EngineMemory {
  numTensors: number;
  numBytes: number;
  /** WebGPU only: bytes of tensors held in GPU buffers. */
  gpuBytes?: number;
  /** WebGPU only: the device's limits on one buffer (what the adapter offers). */
  gpuLimits: GpuBufferLimits | null;
}

export type {
  BackendInfo,
  BackendName,
  DemoResult,
  LayerActivations,
  SimilarityOptions,
  SimilarityReport,
};
export type * from './apiTypes';
export type { BackendChange, BackendEvent, BackendRestartFailed };

/** What the surroundings provide: where WASM binaries live, and how to read shipped assets. */
export interface EngineHost {
  wasmPaths?: Record<string, string>;
  /** Reads a file shipped under public/ (e.g. `datasets/manifest.json`). */
  readAsset(path: string): Promise<Uint8Array>;
  /** Moves large buffers to the page instead of copying them (comlink.transfer in the worker). */
  transfer?: Transfer;
}

type OnProgress = (e: ProgressEvent) => void;

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
  loadDataset(name: string, onProgress?: OnProgress): Promise<DatasetSummary>;
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
  /** Every layer's hidden states and the logits of a checkpoint on given inputs; keeps nothing. */
  hiddenStates(request: HiddenStatesRequest, onProgress?: OnProgress): Promise<HiddenStatesResult>;
  /** Checks that checkpoint files load (errors name `source` and the tensor or field); keeps nothing. */
  validateCheckpoint(files: CheckpointBytes, source: string): Promise<void>;
  pauseTraining(): Promise<void>;
  resumeTraining(): Promise<void>;
  stopTraining(): Promise<void>;
}

export function createEngine(host: EngineHost): EngineApi {
  let backend: BackendInfo | null = null;
  const models = new ModelRegistry(host.readAsset);
  const datasets = new Map<string, Promise<Dataset>>();
  const userDatasets = new UserDatasets();
  const userModels = new ModelImports(models);
  const tasks = createTaskRegistry();
  /** Runs `call` with the signal of `task`, which abortTask(task) aborts. */
  const withTask = async <T>(task: string | undefined, call: (s?: AbortSignal) => Promise<T>) => {
    const signal = tasks.begin(task);
    try {
      return await call(signal);
    } finally {
      tasks.end(task);
    }
  };
  let catalogue: Promise<{ models: ModelInfo[]; datasets: DatasetInfo[] }> | null = null;
  const exits = new ExitCache();
  const training = new TrainingSession(models, host.transfer);
  let testHooks = false;
  const recovery = createDeviceRecovery({
    wasmPaths: host.wasmPaths,
    models,
    imports: userModels,
    training,
    switched: (info) => (backend = info),
  });
  const guarded = recovery.run;

  const requireBackend = () => {
    const failure = recovery.failure();
    if (failure) throw failure;
    if (!backend) throw new Error('engine: init() must be called before any computation');
  };
  const text = async (path: string) => new TextDecoder().decode(await host.readAsset(path));
  const loadCatalogue = () => {
    catalogue ??= (async () => {
      const [modelsText, datasetsText] = await Promise.all([
        text('models/manifest.json').catch(() => '{"models": []}'),
        text('datasets/manifest.json'),
      ]);
      const list = parseModelsManifest(modelsText);
      models.setBuiltins(list);
      return { models: list, datasets: datasetInfos(datasetsText) };
    })();
    catalogue.catch(() => (catalogue = null));
    return catalogue;
  };
  const dataset = (name: string, onProgress?: OnProgress): Promise<Dataset> => {
    const user = userDatasets.dataset(name) ?? userModels.derivedDataset(name);
    if (user) return Promise.resolve(user.dataset);
    let d = datasets.get(name);
    if (!d) {
      d = loadBuiltinDataset(
        name,
        (p) => host.readAsset(`datasets/${p}`),
        (e) => onProgress?.({ phase: `loading ${name}`, done: e.done, total: e.total }),
      );
      d.catch(() => datasets.delete(name));
      datasets.set(name, d);
    }
    return d;
  };
  const modelAndData = async (
    modelId: string,
    datasetName: string,
    onProgress?: OnProgress,
    newHeadAllowed = false,
  ) => {
    requireBackend();
    await loadCatalogue();
    const [model, data] = await Promise.all([
      models.get(modelId),
      dataset(datasetName, onProgress),
    ]);
    const mismatch = modelDataMismatch(
      modelId,
      model.config,
      models.info(modelId).dataset,
      data,
      userDatasets.dataset(datasetName)?.info,
      newHeadAllowed,
    );
    if (mismatch) throw new Error(mismatch);
    return { model, data };
  };

  return {
    ...createUserImportApi({
      reads: tasks,
      imports: userModels,
      requireBackend,
      guarded,
      datasets: async () => [...(await loadCatalogue()).datasets, ...userDatasets.infos()],
      load: (name) => dataset(name),
      closeModel: (id) => models.close(id),
    }),
    ...createDatasetImportApi({
      reads: tasks,
      userDatasets,
      builtins: async () => (await loadCatalogue()).datasets,
      builtin: (name) => dataset(name),
    }),
    async init(options) {
      backend = await initBackend({ force: options.backend, wasmPaths: host.wasmPaths });
      testHooks = options.testHooks === true;
      recovery.started(backend);
      return backend;
    },
    async watchBackend(listener) {
      recovery.listen(listener);
    },
    async loseDeviceForTest() {
      if (!testHooks) throw new Error('engine: loseDeviceForTest needs init({ testHooks: true })');
      await recovery.loseForTest();
    },
    async demo(seed) {
      requireBackend();
      return guarded(() => runDemo(seed));
    },
    async numTensors() {
      return tf.memory().numTensors;
    },
    async memory() {
      const m = tf.memory() as ReturnType<typeof tf.memory> & { numBytesInGPU?: number };
      return {
        numTensors: m.numTensors,
        numBytes: m.numBytes,
        gpuBytes: m.numBytesInGPU,
        gpuLimits: activeGpuLimits(),
      };
    },
    async listModels() {
      await loadCatalogue();
      return models.list();
    },
    async listDatasets() {
      const { datasets: builtins } = await loadCatalogue();
      return [...builtins, ...userDatasets.infos(), ...userModels.derivedInfos()];
    },
    async loadDataset(name, onProgress) {
      const user = userDatasets.dataset(name) ?? userModels.derivedDataset(name);
      if (user) return summarizeDataset(user.dataset, user.info);
      const { datasets: infos } = await loadCatalogue();
      const info = infos.find((d) => d.name === name);
      if (!info)
        throw new Error(
          `unknown dataset "${name}" (built-in: ${infos.map((d) => d.name).join(', ')})`,
        );
      return summarizeDataset(await dataset(name, onProgress), info);
    },
    async analyzeActivations(layers, metrics, options, task) {
      requireBackend();
      return withTask(task, (signal) =>
        guarded(() => analyzeLayers(layers, metrics, { ...options, signal })),
      );
    },
    async analyze(request, onProgress, task) {
      return withTask(task, (signal) => analyze(request, onProgress, signal));
    },
    async exitTradeoff(request, onProgress, task) {
      return withTask(task, (signal) =>
        guarded(async () => {
          const { data } = await modelAndData(request.modelId, request.dataset, onProgress);
          const pinned = await models.pin(request.modelId);
          try {
            return await exits.tradeoff(
              pinned.model,
              pinned.info.revision,
              data,
              request,
              onProgress,
              signal,
            );
          } finally {
            pinned.release();
          }
        }),
      );
    },
    async abortTask(task) {
      tasks.abort(task);
    },
    async exitReadout(request, threshold) {
      const revision = request.revision ?? models.info(request.modelId).revision;
      return exits.readout(request, threshold, revision);
    },
    async startTraining(request, onEvent, options = {}) {
      return withTask(options.task, (signal) =>
        guarded(() => startTraining(request, onEvent, { ...options, signal })),
      );
    },
    async registerCheckpoint(info, files, source) {
      requireBackend();
      await loadCatalogue();
      return guarded(async () => models.register(info, files, source));
    },
    async hiddenStates(request, onProgress) {
      requireBackend();
      return guarded(() => hiddenStatesOf(request, onProgress));
    },
    async validateCheckpoint(files, source) {
      requireBackend();
      await guarded(async () => disposeParams(loadCheckpoint({ ...files, source }).params));
    },
    async pauseTraining() {
      training.pause();
    },
    async resumeTraining() {
      training.resume();
    },
    async stopTraining() {
      training.stop();
    },
  };

  async function analyze(
    request: AnalysisQuery,
    onProgress: OnProgress | undefined,
    signal: AbortSignal | undefined,
  ): Promise<AnalysisResult> {
    return guarded(async () => {
      // Similarity needs only the input to fit; a head of other classes just has no accuracy.
      const { data } = await modelAndData(request.modelId, request.dataset, onProgress, true);
      const pinned = await models.pin(request.modelId);
      try {
        return {
          ...(await runAnalysis(pinned.model, data, request, onProgress, signal)),
          revision: pinned.info.revision,
        };
      } finally {
        pinned.release();
      }
    });
  }

  async function startTraining(
    request: TrainRequest,
    onEvent: (e: TrainEvent) => void,
    options: SessionTrainingOptions,
  ): Promise<ModelInfo> {
    if (options.resumeFrom) {
      // A resumed run needs only its dataset: its weights come with the snapshot.
      requireBackend();
      await loadCatalogue();
      const data = await dataset(request.dataset);
      return training.resumeFrom(options.resumeFrom, data, request, onEvent, options);
    }
    // Other classes are fine here: the fine-tune starts a new head (training.ts).
    const { model, data } = await modelAndData(
      request.baseModelId,
      request.dataset,
      undefined,
      true,
    );
    const info = models.info(request.baseModelId);
    return training.start(model, info, data, request, onEvent, options);
  }
}
