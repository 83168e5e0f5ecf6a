// The results slice: what the engine computed. Each view keeps its last result until a newer
// one for the current controls arrives, so a failed or slow request never blanks the page.
import type { DemoResult } from '../../engine/api';
import type {
  AnalysisRequest,
  AnalysisResult,
  CrossAnalysisResult,
  DatasetInfo,
  DatasetSummary,
  EvalLog,
  ExitReadout,
  ExitRequest,
  ExitResult,
  MetricAgreement,
  ModelInfo,
  SimilarityMetric,
} from '../../engine/apiTypes';

/** The analyses on show: the model under study, the A/B pair, the model being fine-tuned. */
export type AnalysisRole = 'main' | 'a' | 'b' | 'training';

/** The two early-exit methods: the shared classifier, and the multi-head baseline. */
export type ExitMethod = 'shared' | 'multi';

/** The checkpoints the agreement table has a row for: the model under study, A and B. */
export type AgreementRole = 'main' | 'a' | 'b';

/** One row of the agreement table: the analysis (cosine and every measure) behind its numbers. */
export interface AgreementRow {
  role: AgreementRole;
  request: AnalysisRequest;
  revision: number;
}

/** A row's numbers: each measure's agreement with cosine (absent: not computed, e.g. skipped). */
export interface AgreementRowResult extends AgreementRow {
  agreement: Partial<Record<SimilarityMetric, MetricAgreement>>;
}

export interface TrainingResults {
  /** Per-layer test accuracy at each evaluation, in order. */
  evals: EvalLog[];
  /** The fine-tuned checkpoint, once the run has produced one. */
  model: ModelInfo | null;
}

export interface ResultsSlice {
  demo: DemoResult | null;
  models: ModelInfo[];
  datasets: DatasetInfo[];
  summary: DatasetSummary | null;
  analysis: Record<AnalysisRole, AnalysisResult | null>;
  /** Every layer of A against every layer of B (the A/B view's across heatmap). */
  across: CrossAnalysisResult | null;
  /** Every measure's rank agreement with cosine, per checkpoint (state/agreement.ts). */
  agreement: AgreementRowResult[] | null;
  exits: Record<ExitMethod, ExitResult | null>;
  /** The slider's readout, with the shared sweep it was read from (model, request, revision). */
  readout: {
    threshold: number | null;
    sweep: { request: ExitRequest; revision: number } | null;
  } & Record<ExitMethod, ExitReadout | null>;
  training: TrainingResults;
}

export const INITIAL_RESULTS: ResultsSlice = {
  demo: null,
  models: [],
  datasets: [],
  summary: null,
  analysis: { main: null, a: null, b: null, training: null },
  across: null,
  agreement: null,
  exits: { shared: null, multi: null },
  readout: { threshold: null, sweep: null, shared: null, multi: null },
  training: { evals: [], model: null },
};
