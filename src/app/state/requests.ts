// Engine requests built from the config: one place decides what each view asks the engine for,
// and the JSON of a request is its identity (cache key, staleness check).
import type {
  AnalysisRequest,
  CrossAnalysisQuery,
  ExitRequest,
  TrainRequest,
} from '../../engine/apiTypes';
import { headMismatch } from '../import/userDatasetFit';
import { multiheadOf } from './catalog';
import { CKA_SETTINGS, DEFAULT_CONFIG, type CkaMetric, type ExplorerConfig } from './config';
import type { ResultsSlice } from './results';
import { settledRevision } from './revisions';
import { samplesFor, type BudgetInputs } from './sampleBudgetState';

/**
 * What the similarity and accuracy views of `modelId` ask for: cosine and the chosen CKA. The
 * minibatch size and the RBF bandwidth are the config's only when their variant is chosen, the
 * defaults otherwise: a setting that changes nothing drawn changes no request.
 */
export function analysisRequest(config: ExplorerConfig, modelId: string): AnalysisRequest {
  return {
    ...sharedRequest(config, modelId),
    metrics: ['cosine', config.ckaMetric],
    ...ckaSettings(config.ckaMetric, config),
  };
}

/** Everything but the metrics and their settings. */
function sharedRequest(config: ExplorerConfig, modelId: string) {
  return {
    modelId,
    dataset: config.dataset ?? '',
    samples: config.samples,
    seed: config.seed,
    pooling: config.pooling,
    finalNormInHead: config.finalNormInHead,
  };
}

/** The page's state a request reads: the controls, the models and the first analysis's budget. */
export type RequestInputs = BudgetInputs & { config: ExplorerConfig; results: ResultsSlice };

/**
 * What the page asks the engine for `modelId`'s analysis: the controls' request, on the samples
 * of the first analysis's time budget (sampleBudget.ts) until the user asks for all. The effects
 * that run it and the rule that says whether a chart is current both read this one.
 */
export function pageAnalysisRequest(s: RequestInputs, modelId: string): AnalysisRequest {
  return { ...analysisRequest(s.config, modelId), samples: samplesFor(s, modelId) };
}

/**
 * A against B layer by layer for the A/B view: the chosen measure, and cosine beside it when the
 * two widths are equal (cosine is undefined across widths).
 */
export function crossRequest(
  s: RequestInputs,
  a: string,
  b: string,
  equalWidths: boolean,
): CrossAnalysisQuery {
  const { config } = s;
  return {
    ...analysisRequest(config, a),
    // Both models' budgets: the across matrix reads each on the same samples.
    samples: Math.min(samplesFor(s, a), samplesFor(s, b)),
    metrics: equalWidths ? ['cosine', config.ckaMetric] : [config.ckaMetric],
    versusModelId: b,
  };
}

/** The batch size and bandwidth `metric` reads; the defaults for the ones it does not. */
function ckaSettings(
  metric: CkaMetric | 'cosine',
  config: Pick<ExplorerConfig, 'ckaBatchSize' | 'rbfT'>,
) {
  return {
    batchSize:
      metric === CKA_SETTINGS.batchSize ? config.ckaBatchSize : DEFAULT_CONFIG.ckaBatchSize,
    rbfT: metric === CKA_SETTINGS.rbfT ? config.rbfT : DEFAULT_CONFIG.rbfT,
  };
}

/**
 * The cosine part of an analysis request: the same request less the CKA variant and its
 * settings. Views that draw cosine only (cosine heatmaps, the cosine-with-last-layer line, class
 * means, per-layer accuracy) are keyed by it, so a CKA change leaves them as they are.
 */
export function cosinePart(request: AnalysisRequest): AnalysisRequest {
  return { ...request, metrics: ['cosine'], ...ckaSettings('cosine', DEFAULT_CONFIG) };
}

/** The CKA part of an analysis request: its CKA variant alone, with that variant's settings. */
export function ckaPart(request: AnalysisRequest): AnalysisRequest {
  return { ...request, metrics: request.metrics.filter((m) => m !== 'cosine') };
}

/** The exit sweep of `modelId` under the chosen rule. */
export function exitRequest(config: ExplorerConfig, modelId: string): ExitRequest {
  return {
    modelId,
    dataset: config.dataset ?? '',
    samples: config.samples,
    seed: config.seed,
    rule: config.exit.rule,
  };
}

/** The early-exit sweeps of the model under study and of its dataset's multi-head baseline. */
export interface ExitQuery {
  shared: ExitRequest;
  multi: ExitRequest | null;
  /** The revisions the sweeps must be of (part of the key: a fine-tune's weights change). */
  revisions: { shared: number; multi: number | null };
}

/** The sweeps the current controls ask for, or null before a model is chosen. */
export function exitQuery(s: RequestInputs): ExitQuery | null {
  const { config, results } = s;
  if (!config.modelId || !config.dataset) return null;
  // Exits score the head's predictions against the labels: no sweep for a head of other classes.
  if (headMismatch(results.models, results.datasets, config.modelId, config.dataset)) return null;
  const multi = multiheadOf(results.models, config.dataset);
  const multiId = multi && multi.id !== config.modelId ? multi.id : null;
  return {
    // The sweep reads the samples the analysis reads (the first analysis's budget).
    shared: exitRequest({ ...config, samples: samplesFor(s, config.modelId) }, config.modelId),
    multi: multiId ? exitRequest({ ...config, samples: samplesFor(s, multiId) }, multiId) : null,
    revisions: {
      shared: settledRevision(s, config.modelId),
      multi: multiId ? settledRevision(s, multiId) : null,
    },
  };
}

/** A fine-tune of the model under study with the chosen hyper-parameters. */
export function trainRequest(config: ExplorerConfig): TrainRequest {
  const t = config.train;
  return {
    baseModelId: config.modelId ?? '',
    dataset: config.dataset ?? '',
    loss: t.loss,
    weighting: t.weighting,
    lr: t.lr,
    batchSize: t.batchSize,
    steps: t.steps,
    seed: t.seed,
    evalEvery: t.evalEvery,
  };
}

/** A request's identity: its JSON (requests are built with a fixed key order). */
export function requestKey(request: object): string {
  return JSON.stringify(request);
}
