// One load of a named thing shared by every caller that asks for it while it runs. A caller's
// abort ends its own wait at once; the load itself stops only when no caller is left waiting for
// it (a caller without a signal, e.g. a fine-tune or the CLI, holds it to the end).
import { TaskAbortedError } from '../tasks';

interface Entry<T> {
  promise: Promise<T>;
  controller: AbortController;
  /** Callers with a signal still waiting. */
  waiting: number;
  /** A caller without a signal waits: the load is never aborted. */
  held: boolean;
  settled: boolean;
}

export class SharedLoads<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /** `what(key)` names the load in a TaskAbortedError ("dataset mnist"). */
  constructor(private readonly what: (key: string) => string) {}

  /**
   * The value of `key`: the load in flight or done, else `start`ed now with a signal that aborts
   * when the last waiting caller's `signal` does. A failed or aborted load is forgotten, so the
   * next caller starts afresh.
   */
  get(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new TaskAbortedError(this.what(key)));
    const entry = this.entries.get(key) ?? this.begin(key, start);
    if (!signal) {
      entry.held = true;
      return entry.promise;
    }
    entry.waiting += 1;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = () => {
        done = true;
        entry.waiting -= 1;
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (done) return;
        finish();
        reject(new TaskAbortedError(this.what(key)));
        if (entry.waiting === 0 && !entry.held && !entry.settled) {
          if (this.entries.get(key) === entry) this.entries.delete(key);
          entry.controller.abort();
        }
      };
      signal.addEventListener('abort', onAbort);
      entry.promise.then(
        (value) => {
          if (done) return;
          finish();
          resolve(value);
        },
        (error: unknown) => {
          if (done) return;
          finish();
          reject(error);
        },
      );
    });
  }

  /** Loads in flight or kept (for leak checks). */
  size(): number {
    return this.entries.size;
  }

  private begin(key: string, start: (signal: AbortSignal) => Promise<T>): Entry<T> {
    const controller = new AbortController();
    const entry: Entry<T> = {
      promise: start(controller.signal),
      controller,
      waiting: 0,
      held: false,
      settled: false,
    };
    this.entries.set(key, entry);
    entry.promise.then(
      () => (entry.settled = true),
      () => {
        entry.settled = true;
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry;
  }
}
