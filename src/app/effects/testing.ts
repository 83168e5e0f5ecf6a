// A fake engine for the effect tests: plain records shaped like the worker's answers, and
// handlers a test can replace to hold a call open or make it fail.
import type {
  AnalysisRequest,
  AnalysisResult,
  DatasetInfo,
  DatasetSummary,
  ExitRequest,
  ExitResult,
  ModelInfo,
} from '../../engine/apiTypes';
import type { ExplorerEngine } from '../engineViews';

export function model(id: string, loss: ModelInfo['loss'], dataset = 'mnist'): ModelInfo {
  return {
    id,
    title: id,
    dataset,
    loss,
    numLayers: 2,
    hiddenSize: 4,
    numClasses: 3,
    kind: 'image',
    perLayerHeads: loss === 'multihead',
    builtin: true,
    revision: 0,
  };
}

export const MODELS: ModelInfo[] = [
  model('mnist-standard', 'standard'),
  model('mnist-aligned', 'aligned'),
  model('mnist-multihead', 'multihead'),
  model('fashion-aligned', 'aligned', 'fashion'),
];

export const DATASETS: DatasetInfo[] = ['mnist', 'fashion'].map((name) => ({
  name,
  title: name.toUpperCase(),
  kind: 'image',
  classNames: ['a', 'b', 'c'],
  inputShape: [2, 2, 1],
  trainCount: 30,
  testCount: 9,
  source: 'test',
  licence: 'test',
}));

/** An analysis whose numbers encode the request: cosine[0][1] = samples / 10,000. */
export function analysisFor(req: AnalysisRequest, revision = 0): AnalysisResult {
  const v = req.samples / 10_000;
  const m = [
    [1, v, 0.2],
    [v, 1, 0.5],
    [0.2, 0.5, 1],
  ];
  const metrics: AnalysisResult['metrics'] = {};
  for (const metric of req.metrics) metrics[metric] = m;
  return {
    request: req,
    layers: ['embeddings', 'layer_1', 'layer_2'],
    n: req.samples,
    metrics,
    notes: {},
    agreement: { [`cosine~${req.metrics[1]}`]: { pearson: 0.9, spearman: 0.8, pairs: 3 } },
    accuracy: [0.1, 0.6, 0.9],
    loss: [2, 1, 0.3],
    minimalDepth: 2,
    saturationHistogram: [1, 3, 5],
    classMeans: { points: [], explained: [0, 0] },
    elapsedMs: 1,
    revision,
  };
}

export function exitFor(req: ExitRequest, revision = 0): ExitResult {
  return {
    request: req,
    classifier: req.modelId.endsWith('multihead') ? 'per-layer' : 'shared',
    tradeoff: {
      rule: req.rule,
      layers: 2,
      samples: req.samples,
      points: [
        { threshold: 0.5, accuracy: 0.8, meanExitLayer: 1.2, speedup: 2 / 1.2, flops: null },
        { threshold: 0.9, accuracy: 0.9, meanExitLayer: 1.8, speedup: 2 / 1.8, flops: null },
      ],
      perLayerAccuracy: [0.6, 0.9],
    },
    revision,
  };
}

type Handlers = { [K in keyof ExplorerEngine]: ExplorerEngine[K] };

export interface FakeEngine {
  engine: ExplorerEngine;
  /** Replace to change how a method answers. */
  handlers: Handlers;
  /** The revision each model's weights stand at (absent: 0); results carry it. */
  revisions: Map<string, number>;
  /** Every call made, in order: method name and arguments. */
  calls: { method: keyof ExplorerEngine; args: unknown[] }[];
  callsTo(method: keyof ExplorerEngine): unknown[][];
}

export function createFakeEngine(): FakeEngine {
  const revisions = new Map<string, number>();
  const revisionOf = (id: string) => revisions.get(id) ?? 0;
  const handlers: Handlers = {
    listModels: async () => MODELS,
    listDatasets: async () => DATASETS,
    loadDataset: async (name) => summaryOf(name),
    analyze: async (req) => analysisFor(req, revisionOf(req.modelId)),
    analyzeAcross: async (req) => {
      const { layers, n, metrics, notes, agreement } = analysisFor(req as AnalysisRequest);
      return {
        request: req,
        layers,
        versusLayers: layers,
        n,
        metrics,
        notes,
        agreement,
        revisions: [0, 0],
      };
    },
    exitTradeoff: async (req) => exitFor(req, revisionOf(req.modelId)),
    exitReadout: async (req, threshold) => ({
      point: {
        threshold,
        accuracy: threshold,
        meanExitLayer: 1 + threshold,
        speedup: 2 / (1 + threshold),
        flops: null,
      },
      histogram: req.modelId.endsWith('multihead') ? [2, 7] : [5, 4],
    }),
    startTraining: async (req) => ({ ...model('finetuned-1', req.loss), builtin: false }),
    registerCheckpoint: async (info) => ({ ...info, builtin: false }),
    validateCheckpoint: async () => undefined,
    pauseTraining: async () => undefined,
    resumeTraining: async () => undefined,
    stopTraining: async () => undefined,
    abortTask: async () => undefined,
  };
  const calls: FakeEngine['calls'] = [];
  const engine = Object.fromEntries(
    (Object.keys(handlers) as (keyof ExplorerEngine)[]).map((method) => [
      method,
      (...args: unknown[]) => {
        calls.push({ method, args });
        return (handlers[method] as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as ExplorerEngine;
  return {
    engine,
    handlers,
    revisions,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
  };
}

export function summaryOf(name: string): DatasetSummary {
  const info = DATASETS.find((d) => d.name === name)!;
  return {
    ...info,
    trainClassCounts: [10, 10, 10],
    testClassCounts: [3, 3, 3],
    preview: { labels: [0, 1], images: new Uint8Array(8) },
  };
}

/** Lets every pending promise and timer-free continuation run. */
export const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};
