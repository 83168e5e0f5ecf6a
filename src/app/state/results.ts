// The results slice: what the engine computed. Each view keeps its last result until a newer
// one for the current controls arrives, so a failed or slow request never blanks the page.
import type { DemoResult } from '../../engine/api';
import type {
  AnalysisResult,
  CrossAnalysisResult,
  DatasetInfo,
  DatasetSummary,
  EvalLog,
  ExitReadout,
  ExitRequest,
  ExitResult,
  ModelInfo,
} from '../../engine/apiTypes';

/** The analyses on show: the model under study, the A/B pair, the model being fine-tuned. */
export type AnalysisRole = 'main' | 'a' | 'b' | 'training';

/** The two early-exit methods: the shared classifier, and the multi-head baseline. */
export type ExitMethod = 'shared' | 'multi';

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
  exits: { shared: null, multi: null },
  readout: { threshold: null, sweep: null, shared: null, multi: null },
  training: { evals: [], model: null },
};
