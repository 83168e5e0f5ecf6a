// Which weights a model id stands for now, and whether a result on show is of them. A fine-tune
// trains in place under one id, so a result is current only at the revision it was computed at.
import type { ModelInfo } from '../../engine/apiTypes';
import { modelTitle } from './modelNames';
import type { ResultsSlice } from './results';
import type { RunSlice } from './run';

type RevisionState = {
  results: Pick<ResultsSlice, 'models' | 'training'>;
  run: Pick<RunSlice, 'training'>;
};

/** A result that names the model and the revision it was computed at (analysis or exit sweep). */
export interface RevisedResult {
  request: { modelId: string };
  revision: number;
}

/**
 * The revision the page last heard a model settle at (the model list, or the run's checkpoint
 * events: at start, pause and end). Requests are keyed on it, so a running fine-tune does not
 * send every view back to the engine at every step.
 */
export function settledRevision(s: Pick<RevisionState, 'results'>, id: string): number {
  const listed = s.results.models.find((m) => m.id === id);
  const trained = s.results.training.model;
  if (trained?.id === id && (!listed || trained.revision > listed.revision))
    return trained.revision;
  return listed?.revision ?? 0;
}

/** Whether the run's weights are moving now (a step may land at any moment). */
function isMoving(s: RevisionState, id: string): boolean {
  const { state } = s.run.training;
  return (
    s.results.training.model?.id === id &&
    (state === 'starting' || state === 'running' || state === 'stopping')
  );
}

/** The revision a model's weights stand at now: the run's step while it trains. */
export function currentRevision(s: RevisionState, id: string): number {
  const settled = settledRevision(s, id);
  return isMoving(s, id) ? Math.max(settled, s.run.training.step) : settled;
}

/** How a result on show lags its model: null when it is of the current weights. */
export interface RevisionLag {
  modelId: string;
  /** The step the result is of. */
  asOf: number;
  /** The step the weights stand at now. */
  now: number;
  /** The weights are still moving (the result refreshes when the run pauses or ends). */
  training: boolean;
}

export function revisionLag(s: RevisionState, result: RevisedResult | null): RevisionLag | null {
  if (!result) return null;
  const id = result.request.modelId;
  const now = currentRevision(s, id);
  const training = isMoving(s, id);
  if (result.revision === now && !training) return null;
  return { modelId: id, asOf: result.revision, now, training };
}

/** A model list with one model's record replaced (a checkpoint event's newer revision). */
export function withModel(models: readonly ModelInfo[], model: ModelInfo): ModelInfo[] {
  return models.some((m) => m.id === model.id)
    ? models.map((m) => (m.id === model.id ? model : m))
    : [...models];
}

/**
 * What a panel says about results on show that are not of their model's current weights, or
 * null when all are current: each named with the step it is of.
 */
export function revisionNotice(
  s: RevisionState,
  results: readonly (RevisedResult | null)[],
): string | null {
  const lines = new Set<string>();
  for (const lag of results.map((r) => revisionLag(s, r))) {
    if (!lag) continue;
    const name = modelTitle(s.results.models, lag.modelId);
    lines.add(
      lag.training
        ? `${name} is training (step ${lag.now}): shown as of step ${lag.asOf}; this refreshes when the run pauses or ends.`
        : `${name}: shown as of step ${lag.asOf}, an earlier revision; updating to step ${lag.now}…`,
    );
  }
  return lines.size ? [...lines].join(' ') : null;
}
