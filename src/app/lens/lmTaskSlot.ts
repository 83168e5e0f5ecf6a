// A language-model task's slot in its view's store (the lens's, the similarity's, the early
// exit's): what the progress bar and Cancel read while the task runs, null when none does.
import type { StoreApi } from 'zustand';
import type { ProgressEvent } from '../../engine/apiTypes';

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
): (e: ProgressEvent) => void {
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
