// The engine: createEngine builds the EngineApi (engineApi.ts) that the page (through the worker),
// the command line and tests call.
import { initBackend, type BackendInfo, type BackendName } from './backend';
import type { AnalysisQuery, AnalysisResult, DatasetInfo, ModelInfo } from './apiTypes';
import { loadBuiltinDataset } from './data/builtin';
import { SharedLoads } from './data/sharedLoad';
import type { Dataset } from './data/types';
import { runDemo, type DemoResult } from './demo';
import type { SimilarityOptions } from './metrics/similarity';
import { analyzeLayers, type LayerActivations, type SimilarityReport } from './pipeline/analyze';
import { datasetInfos, parseModelsManifest } from './session/catalogue';
import { runAnalysis } from './session/analysis';
import { runCrossAnalysis } from './session/crossAnalysis';
import { ExitCache } from './session/exitCache';
import { createDecoderApi } from './session/decoderApi';
import { ModelRegistry } from './session/models';
import { summarizeDataset } from './session/summaries';
import { LmTrainingSession } from './session/lmTraining';
import { TrainingSession } from './session/training';
import { createTrainingApi } from './session/trainingApi';
import { ModelImports } from './session/modelImports';
import { createTaskRegistry } from './tasks';
import { createUserImportApi } from './session/userImportApi';
import { createDatasetImportApi, modelDataMismatch } from './session/datasetImportApi';
import { userDataView } from './session/userDataView';
import { wordPieceTextEncoder, wordTextEncoder } from './import/textEncoders';
import type { TextEncoder } from './data/types';
import { UserDatasets } from './session/userDatasets';
import { createDeviceRecovery } from './session/deviceRecovery';
import type { BackendChange, BackendEvent, BackendRestartFailed } from './deviceLoss';
import type { EngineApi, EngineHost, OnProgress } from './engineApi';
import { loadCheckpoint } from './checkpoint';
import { disposeParams } from './model/params';
import { activeGpuLimits } from './gpuLimits';
import { tf } from './tf';

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
export type { EngineApi, EngineHost, EngineMemory } from './engineApi';

export function createEngine(host: EngineHost): EngineApi {
  let backend: BackendInfo | null = null;
  const models = new ModelRegistry(host.readAsset);
  const datasets = new SharedLoads<Dataset>((name) => `loading dataset ${name}`);
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
  const lmTraining = new LmTrainingSession();
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
  /** A dataset by name; `signal` ends this caller's wait (and the load, when no one else waits). */
  const dataset = (name: string, onProgress?: OnProgress, signal?: AbortSignal) => {
    const user = userDatasets.dataset(name) ?? userModels.derivedDataset(name);
    if (user) return Promise.resolve(user.dataset);
    const load = (loadSignal: AbortSignal) =>
      loadBuiltinDataset(
        name,
        (p) => host.readAsset(`datasets/${p}`),
        (e) => onProgress?.({ phase: `loading ${name}`, done: e.done, total: e.total }),
        loadSignal,
      );
    return datasets.get(name, load, signal);
  };
  /** Tokenizers of fine-tunes made on a user's texts (their dataset is the user's, not one with a tokenizer). */
  const fineTuneEncoders = new Map<string, TextEncoder>();
  /** The tokenizer a text model reads a user's raw texts with. */
  const textEncoderOf = async (modelId: string): Promise<TextEncoder | undefined> => {
    const imported = userModels.tokenizerOf(modelId);
    if (imported) return wordPieceTextEncoder(imported.tokenizer, imported.seqLen);
    const tuned = fineTuneEncoders.get(modelId);
    if (tuned) return tuned;
    const own = models.info(modelId).dataset;
    const spec = userDatasets.dataset(own) ? undefined : (await dataset(own)).tokenizer;
    return spec && wordTextEncoder(spec, `${own} word-level tokenizer`);
  };
  const modelAndData = async (
    modelId: string,
    datasetName: string,
    onProgress?: OnProgress,
    newHeadAllowed = false,
    signal?: AbortSignal,
  ) => {
    requireBackend();
    await loadCatalogue();
    const [model, stored] = await Promise.all([
      models.get(modelId),
      dataset(datasetName, onProgress, signal),
    ]);
    const user = userDatasets.dataset(datasetName)?.info;
    // A user's dataset is read through a view made for this model (resized / tokenized per batch).
    const data = user
      ? await userDataView(model.config, stored, () => textEncoderOf(modelId))
      : stored;
    const mismatch = modelDataMismatch(
      modelId,
      model.config,
      models.info(modelId).dataset,
      data,
      user,
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
    }),
    ...createDecoderApi({ requireBackend, withTask, guarded, transfer: host.transfer }),
    ...createTrainingApi({
      requireBackend,
      withTask,
      guarded,
      training,
      lmTraining,
      models,
      userDatasets,
      loadCatalogue,
      dataset,
      modelAndData,
      textEncoderOf,
      fineTuneEncoders,
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
    async loadDataset(name, onProgress, task) {
      const user = userDatasets.dataset(name) ?? userModels.derivedDataset(name);
      if (user) return summarizeDataset(user.dataset, user.info);
      return withTask(task, async (signal) => {
        const { datasets: infos } = await loadCatalogue();
        const info = infos.find((d) => d.name === name);
        if (!info)
          throw new Error(
            `unknown dataset "${name}" (built-in: ${infos.map((d) => d.name).join(', ')})`,
          );
        return summarizeDataset(await dataset(name, onProgress, signal), info);
      });
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
    async analyzeAcross(request, onProgress, task) {
      return withTask(task, (signal) =>
        guarded(async () => {
          const { modelId, versusModelId, dataset: name } = request;
          const { data } = await modelAndData(modelId, name, onProgress, true, signal);
          await modelAndData(versusModelId, name, onProgress, true, signal);
          const a = await models.pin(request.modelId);
          const b = await models.pin(request.versusModelId);
          try {
            const result = await runCrossAnalysis(
              a.model,
              b.model,
              data,
              request,
              onProgress,
              signal,
            );
            return { ...result, revisions: [a.info.revision, b.info.revision] as [number, number] };
          } finally {
            a.release();
            b.release();
          }
        }),
      );
    },
    async exitTradeoff(request, onProgress, task) {
      return withTask(task, (signal) =>
        guarded(async () => {
          const { modelId, dataset: name } = request;
          const { data } = await modelAndData(modelId, name, onProgress, false, signal);
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
    async registerCheckpoint(info, files, source) {
      requireBackend();
      await loadCatalogue();
      return guarded(async () => models.register(info, files, source));
    },
    async validateCheckpoint(files, source) {
      requireBackend();
      await guarded(async () => disposeParams(loadCheckpoint({ ...files, source }).params));
    },
  };

  async function analyze(
    request: AnalysisQuery,
    onProgress: OnProgress | undefined,
    signal: AbortSignal | undefined,
  ): Promise<AnalysisResult> {
    return guarded(async () => {
      // Similarity needs only the input to fit; a head of other classes just has no accuracy.
      const { modelId, dataset: name } = request;
      const { data } = await modelAndData(modelId, name, onProgress, true, signal);
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
}
