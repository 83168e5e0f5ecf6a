// Which models the user let analyse with every sample asked for, and the samples each view of a
// model uses now: the first analysis of a model fits a time budget (sampleBudget.ts) until then.
import type { BackendInfo } from '../../engine/apiTypes';
import type { GpuBufferLimits } from '../../engine/gpuLimits';
import type { ExplorerConfig } from './config';
import type { ResultsSlice } from './results';
import { firstAnalysisSamples, modelCost, type SampleBudget } from './sampleBudget';

export interface BudgetSlice {
  /** Models the user asked to analyse on all of config.samples ("ask for more"). */
  lifted: string[];
  /** WebGPU's limits on one buffer, once asked of the engine (a fine-tune's cost reads them). */
  gpuLimits: GpuBufferLimits | null;
}

export const INITIAL_BUDGET: BudgetSlice = { lifted: [], gpuLimits: null };

/** The parts of the page's state the budget reads (no backend known: no budget). */
export interface BudgetInputs {
  config: Pick<ExplorerConfig, 'samples'>;
  results: Pick<ResultsSlice, 'models' | 'datasets'>;
  run?: { backendInfo: BackendInfo | null };
  budget?: BudgetSlice;
}

/**
 * The budget of `modelId`'s analyses, or null when it does not apply: the model or backend is not
 * known yet, or the user lifted it. `samples` is what the engine is asked for.
 */
export function sampleBudgetOf(s: BudgetInputs, modelId: string): SampleBudget | null {
  const backend = s.run?.backendInfo;
  const model = s.results.models.find((m) => m.id === modelId);
  if (!backend || !model || s.budget?.lifted.includes(modelId)) return null;
  const dataset = s.results.datasets.find((d) => d.name === model.dataset);
  return firstAnalysisSamples(modelCost(model, dataset), backend, s.config.samples);
}

/** Samples the analyses of `modelId` capture: the budget's, else all that were asked for. */
export function samplesFor(s: BudgetInputs, modelId: string): number {
  return sampleBudgetOf(s, modelId)?.samples ?? s.config.samples;
}

/** The budget slice with `modelId` lifted (analysed on all of config.samples from now on). */
export function liftBudget(budget: BudgetSlice, modelId: string): BudgetSlice {
  return budget.lifted.includes(modelId)
    ? budget
    : { ...budget, lifted: [...budget.lifted, modelId] };
}
