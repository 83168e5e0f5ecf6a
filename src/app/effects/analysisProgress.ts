// An analysis's forward passes as the page shows them: batches done of all, and the time left at
// the rate measured so far. The engine reports samples captured after each batch.
import type { StrataStore } from '../store';
import type { Channel, TaskProgress } from '../state/run';

/** The phase in which analyze runs the model over its samples (session/analysis.ts). */
export const FORWARD_PHASE = 'capturing layers';

/** One progress report, and when it came (ms). */
export interface ProgressMark {
  at: number;
  done: number;
}

/**
 * Seconds left for `total` at the rate between `first` and `last`: the first batch carries the
 * model's warm-up (shader compiles, weight uploads), so the rate is measured from its end.
 * Null until two reports apart in time and work exist.
 */
export function etaSeconds(first: ProgressMark, last: ProgressMark, total: number): number | null {
  const work = last.done - first.done;
  const ms = last.at - first.at;
  if (work <= 0 || ms <= 0) return null;
  return ((total - last.done) * ms) / work / 1000;
}

/**
 * Batches of `batchSize` samples: done and all. The first report's count is one batch (the
 * engine sizes batches to memory, inputs.ts), the last one may be short.
 */
export function batchesOf(done: number, total: number, batchSize: number): TaskProgress['batches'] {
  return { done: Math.ceil(done / batchSize), total: Math.ceil(total / batchSize) };
}

/**
 * A progress callback for one analysis call on `channel`: the store's task gets the phase, the
 * samples, the batches and the ETA. Events after the call ended (its channel idle) are dropped.
 */
export function analysisProgressTo(
  store: StrataStore,
  channel: Channel,
  now: () => number = () => performance.now(),
) {
  let first: ProgressMark | null = null;
  let batchSize = 0;
  return (e: { phase: string; done: number; total: number }): void => {
    const { run, setTask } = store.getState();
    if (!(channel in run.tasks)) return;
    if (e.phase !== FORWARD_PHASE || e.done <= 0) {
      setTask(channel, { phase: e.phase, done: e.done, total: e.total });
      return;
    }
    const mark = { at: now(), done: e.done };
    if (!first) {
      first = mark;
      batchSize = e.done;
    }
    setTask(channel, {
      phase: e.phase,
      done: e.done,
      total: e.total,
      batches: batchesOf(e.done, e.total, batchSize),
      etaSeconds: etaSeconds(first, mark, e.total),
    });
  };
}
