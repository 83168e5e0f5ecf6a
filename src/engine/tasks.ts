// Work the page may stop. AbortSignal cannot cross the worker boundary, so the page names each
// call with a task id and calls abortTask(id); here each id maps to an AbortController, and the
// batch loops see a plain AbortSignal. No TensorFlow.js here: the page imports this file.

/** The name an engine call's error carries when its task was aborted; it survives the worker. */
export const TASK_ABORTED_ERROR = 'TaskAbortedError';

/**
 * A call stopped by abortTask: the page asked for something newer or left the selection. Not a
 * failure: the page drops it without an alert.
 */
export class TaskAbortedError extends Error {
  constructor(what: string) {
    super(`${what}: stopped, its task was aborted`);
    this.name = TASK_ABORTED_ERROR;
  }
}

/**
 * Whether `e` (possibly rebuilt on the other side of the worker boundary) is a stopped task: a
 * TaskAbortedError, or a cancelled file read (ReadCancelledError, import/readCancel.ts).
 */
export function isTaskAborted(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const { name } = e as { name?: unknown };
  return name === TASK_ABORTED_ERROR || name === 'ReadCancelledError';
}

/** Throws a TaskAbortedError naming `what` once `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new TaskAbortedError(what);
}

/**
 * Between two batches of a loop: lets the event loop run once (so an abortTask message that
 * arrived meanwhile is heard, even on backends whose readbacks never yield), then stops with a
 * TaskAbortedError if the task was aborted. Free without a signal: nothing is waited for.
 */
export async function betweenBatches(signal: AbortSignal | undefined, what: string): Promise<void> {
  if (!signal) return;
  if (!signal.aborted) await new Promise<void>((resolve) => setTimeout(resolve, 0));
  throwIfAborted(signal, what);
}

/** The tasks in flight that the page may abort, by the id it gave them. */
export interface TaskRegistry {
  /** The signal of task `id` (none without an id); `end(id)` when the task is over. */
  begin(id: string | undefined): AbortSignal | undefined;
  /** Stops task `id`; one not begun yet starts stopped; one that has ended is left alone. */
  abort(id: string): void;
  end(id: string | undefined): void;
  /** How many controllers are kept (tasks in flight and aborts that overtook their task). */
  held(): number;
}

/**
 * How many aborts of tasks not begun, and ids of tasks ended, are remembered: ids are never
 * reused, so without a bound each would stay for the page's life.
 */
const REMEMBERED = 64;

/** Forgets the oldest of `keys` past REMEMBERED (Sets and Maps keep insertion order). */
function bound(keys: Set<string> | Map<string, unknown>): void {
  for (const key of keys.keys()) {
    if (keys.size <= REMEMBERED) return;
    keys.delete(key);
  }
}

export function createTaskRegistry(): TaskRegistry {
  const live = new Map<string, AbortController>();
  // An abort can overtake its task (it is sent as the task is asked for): it waits here.
  const early = new Map<string, AbortController>();
  const ended = new Set<string>();
  return {
    begin(id) {
      if (id === undefined) return undefined;
      const controller = early.get(id) ?? new AbortController();
      early.delete(id);
      live.set(id, controller);
      return controller.signal;
    },
    abort(id) {
      const running = live.get(id);
      if (running) return running.abort();
      if (ended.has(id) || early.has(id)) return;
      const controller = new AbortController();
      controller.abort();
      early.set(id, controller);
      bound(early);
    },
    end(id) {
      if (id === undefined) return;
      live.delete(id);
      early.delete(id);
      ended.add(id);
      bound(ended);
    },
    held: () => live.size + early.size,
  };
}
