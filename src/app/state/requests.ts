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
import { MINIBATCH_ROWS, RBF_T, type ExplorerConfig } from './config';
import type { ResultsSlice } from './results';
import { settledRevision } from './revisions';

/** What the similarity and accuracy views of `modelId` ask for (cosine + the chosen CKA). */
export function analysisRequest(config: ExplorerConfig, modelId: string): AnalysisRequest {
  return {
    modelId,
    dataset: config.dataset ?? '',
    samples: config.samples,
    seed: config.seed,
    pooling: config.pooling,
    metrics: ['cosine', config.ckaMetric],
    finalNormInHead: config.finalNormInHead,
    batchSize: MINIBATCH_ROWS,
    rbfT: RBF_T,
  };
}

/**
 * A against B layer by layer for the A/B view: the chosen measure, and cosine beside it when the
 * two widths are equal (cosine is undefined across widths).
 */
export function crossRequest(
  config: ExplorerConfig,
  a: string,
  b: string,
  equalWidths: boolean,
): CrossAnalysisQuery {
  return {
    ...analysisRequest(config, a),
    metrics: equalWidths ? ['cosine', config.ckaMetric] : [config.ckaMetric],
    versusModelId: b,
  };
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
export function exitQuery(s: { config: ExplorerConfig; results: ResultsSlice }): ExitQuery | null {
  const { config, results } = s;
  if (!config.modelId || !config.dataset) return null;
  // Exits score the head's predictions against the labels: no sweep for a head of other classes.
  if (headMismatch(results.models, results.datasets, config.modelId, config.dataset)) return null;
  const multi = multiheadOf(results.models, config.dataset);
  const multiId = multi && multi.id !== config.modelId ? multi.id : null;
  return {
    shared: exitRequest(config, config.modelId),
    multi: multiId ? exitRequest(config, multiId) : null,
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
