// A language-model task's slot in its view's store (the lens's, the similarity's, the early
// exit's): what the progress bar and Cancel read while the task runs, null when none does; and
// the run of a task in it, whose cancel or failure goes to the alert region.
import type { StoreApi } from 'zustand';
import type { ProgressEvent } from '../../engine/apiTypes';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';

type OnProgress = (e: ProgressEvent) => void;

/** A task in flight: its progress and how to stop it. */
export interface LmTaskRunning {
  label: string;
  done: number;
  total: number;
  controller: AbortController;
}

/** A store with a task slot named `K`. */
type WithSlot<K extends PropertyKey> = { [k in K]: LmTaskRunning | null };

/**
 * The progress callback of the task that `controller` stops: each engine report becomes the
 * slot's "<label>: <step><phase in words>" with its counts (other fields of the slot kept). A
 * report that arrives once another task holds the slot, or none does, changes nothing.
 */
export function progressInto<K extends PropertyKey, S extends WithSlot<K>>(
  store: Pick<StoreApi<S>, 'setState'>,
  slot: K,
  controller: AbortController,
  label: string,
  phases: Readonly<Record<string, string>>,
  step = '',
): OnProgress {
  return (e) =>
    store.setState((s) => {
      const running = s[slot];
      if (running?.controller !== controller) return {};
      const next: LmTaskRunning = {
        ...running,
        label: `${label}: ${step}${phases[e.phase] ?? e.phase}`,
        done: e.done,
        total: e.total,
      };
      return { [slot]: next } as Partial<S>;
    });
}

/** Frees the slot unless a newer task holds it already. */
export function releaseSlot<K extends PropertyKey, S extends WithSlot<K>>(
  store: Pick<StoreApi<S>, 'setState'>,
  slot: K,
  controller: AbortController,
): void {
  store.setState((s) =>
    s[slot]?.controller === controller ? ({ [slot]: null } as Partial<S>) : {},
  );
}

/** Cancel: stops the task in `slot`, if any, at its next check of the signal. */
export function abortSlot<K extends PropertyKey, S extends WithSlot<K>>(
  store: Pick<StoreApi<S>, 'getState'>,
  slot: K,
  reason?: string,
): void {
  store.getState()[slot]?.controller.abort(reason);
}

/**
 * Tells the alert region how a task ended without its result: cancelled (a notice that
 * `unchanged`, e.g. "the chart is unchanged") or failed (an error with the reason).
 */
export function alertTaskEnd(
  label: string,
  signal: AbortSignal,
  error: unknown,
  unchanged: string,
) {
  const { addAlert } = useStrata.getState();
  if (signal.aborted) addAlert('notice', `${label} cancelled; ${unchanged}.`);
  else addAlert('error', `${label} failed: ${errorMessage(error)}`);
}

/** How runInSlot names a task and what it says when the task ends without a result. */
export interface SlotTask {
  label: string;
  /** The engine's phases in words (`load` → "reading weights"). */
  phases: Readonly<Record<string, string>>;
  /** What a cancel leaves, e.g. "the chart is unchanged". */
  unchanged: string;
}

/**
 * Runs `work` in `slot` with progress and Cancel: `progress(step)` is the callback of one engine
 * call. An error or a cancel goes to the alert region, and the slot is freed at the end.
 */
export async function runInSlot<K extends PropertyKey, S extends WithSlot<K>>(
  store: Pick<StoreApi<S>, 'setState'>,
  slot: K,
  task: SlotTask,
  work: (signal: AbortSignal, progress: (step?: string) => OnProgress) => Promise<void>,
): Promise<void> {
  const { label, phases, unchanged } = task;
  const controller = new AbortController();
  const running: LmTaskRunning = { label, done: 0, total: 0, controller };
  store.setState({ [slot]: running } as Partial<S>);
  try {
    await work(controller.signal, (step) =>
      progressInto(store, slot, controller, label, phases, step),
    );
  } catch (e) {
    alertTaskEnd(label, controller.signal, e, unchanged);
  } finally {
    releaseSlot(store, slot, controller);
  }
}
