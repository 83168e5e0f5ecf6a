// The engine's public interface: what the page (through the worker) and tests call. Only plain
// data crosses it — numbers, typed arrays, small records — never a tensor, so it runs unchanged
// in a Web Worker and in Node.
import { initBackend, type BackendInfo, type BackendName } from './backend';
import type {
  AnalysisRequest,
  AnalysisResult,
  DatasetInfo,
  DatasetSummary,
  ExitReadout,
  ExitRequest,
  ExitResult,
  ModelInfo,
  ProgressEvent,
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
import { ExitCache } from './session/exitCache';
import { ModelRegistry } from './session/models';
import { summarizeDataset } from './session/summaries';
import { TrainingSession } from './session/training';
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

/** What the surroundings provide: where WASM binaries live, and how to read shipped assets. */
export interface EngineHost {
  wasmPaths?: Record<string, string>;
  /** Reads a file shipped under public/ (e.g. `datasets/manifest.json`). */
  readAsset(path: string): Promise<Uint8Array>;
}

type OnProgress = (e: ProgressEvent) => void;

export interface EngineApi {
  /** Starts a backend by the policy in backend.ts; call once before anything else. */
  init(options: { backend?: BackendName }): Promise<BackendInfo>;
  /** softmax(A·B) on deterministic inputs: proves the pipe from page to backend and back. */
  demo(seed: number): Promise<DemoResult>;
  /** Tensors alive in the engine (for leak checks from the outside). */
  numTensors(): Promise<number>;
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
  ): Promise<SimilarityReport>;
  /** Captures a checkpoint's layers on test samples; similarity, per-layer accuracy and more. */
  analyze(request: AnalysisRequest, onProgress?: OnProgress): Promise<AnalysisResult>;
  /** The early-exit trade-off of a rule over its default thresholds; caches scores for exitReadout. */
  exitTradeoff(request: ExitRequest, onProgress?: OnProgress): Promise<ExitResult>;
  /** One threshold's exact readout, from the scores exitTradeoff cached (fast). */
  exitReadout(request: ExitRequest, threshold: number): Promise<ExitReadout>;
  /** Fine-tunes a copy of a checkpoint; resolves with the new model when the run ends. */
  startTraining(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<ModelInfo>;
  pauseTraining(): Promise<void>;
  resumeTraining(): Promise<void>;
  stopTraining(): Promise<void>;
}

export function createEngine(host: EngineHost): EngineApi {
  let backend: BackendInfo | null = null;
  const models = new ModelRegistry(host.readAsset);
  const datasets = new Map<string, Promise<Dataset>>();
  let catalogue: Promise<{ models: ModelInfo[]; datasets: DatasetInfo[] }> | null = null;
  const exits = new ExitCache();
  const training = new TrainingSession(models);

  const requireBackend = () => {
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
  const modelAndData = async (modelId: string, datasetName: string, onProgress?: OnProgress) => {
    requireBackend();
    await loadCatalogue();
    const [model, data] = await Promise.all([
      models.get(modelId),
      dataset(datasetName, onProgress),
    ]);
    const kind = model.config.architecture === 'vit' ? 'image' : 'text';
    if (kind !== data.kind || model.config.numClasses !== data.classNames.length) {
      throw new Error(
        `model "${modelId}" (${kind}, ${model.config.numClasses} classes) cannot read dataset "${datasetName}" (${data.kind}, ${data.classNames.length} classes)`,
      );
    }
    return { model, data };
  };

  return {
    async init(options) {
      backend = await initBackend({ force: options.backend, wasmPaths: host.wasmPaths });
      return backend;
    },
    async demo(seed) {
      requireBackend();
      return runDemo(seed);
    },
    async numTensors() {
      return tf.memory().numTensors;
    },
    async listModels() {
      await loadCatalogue();
      return models.list();
    },
    async listDatasets() {
      return (await loadCatalogue()).datasets;
    },
    async loadDataset(name, onProgress) {
      const { datasets: infos } = await loadCatalogue();
      const info = infos.find((d) => d.name === name);
      if (!info)
        throw new Error(
          `unknown dataset "${name}" (built-in: ${infos.map((d) => d.name).join(', ')})`,
        );
      return summarizeDataset(await dataset(name, onProgress), info);
    },
    async analyzeActivations(layers, metrics, options) {
      requireBackend();
      return analyzeLayers(layers, metrics, options);
    },
    async analyze(request, onProgress) {
      const { model, data } = await modelAndData(request.modelId, request.dataset, onProgress);
      return runAnalysis(model, data, request, onProgress);
    },
    async exitTradeoff(request, onProgress) {
      const { model, data } = await modelAndData(request.modelId, request.dataset, onProgress);
      return exits.tradeoff(model, models.info(request.modelId), data, request, onProgress);
    },
    async exitReadout(request, threshold) {
      return exits.readout(request, threshold);
    },
    async startTraining(request, onEvent) {
      const { model, data } = await modelAndData(request.baseModelId, request.dataset);
      return training.start(model, models.info(request.baseModelId), data, request, onEvent);
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
}
