/**
 * Runs requests of one kind so that only the newest one's result is delivered: a request made
 * while another is in flight waits (replacing any older waiting one), and when the one in flight
 * ends its result is dropped if a newer request is waiting. So a stale answer never overwrites a
 * newer one, and requests the user has already superseded never reach the engine.
 */
export interface LatestRunner<Q> {
  /** Asks for `query`, identified by `key`; a key equal to the one in flight is ignored. */
  request(key: string, query: Q): void;
  /** Whether a request is in flight or waiting. */
  busy(): boolean;
  /** Whether a newer request waits behind the one in flight (which is then stale). */
  superseded(): boolean;
  /** Drops the waiting request and ignores the one in flight; later requests still run. */
  cancel(): void;
  /** Stops for good: nothing more runs or is delivered. */
  dispose(): void;
}

export interface LatestRunnerHandlers<Q, R> {
  run(query: Q): Promise<R>;
  onResult(result: R, query: Q): void;
  onError(error: unknown, query: Q): void;
  /** Called when a request starts and when the runner falls idle. */
  onBusy?(busy: boolean): void;
}

export function createLatestRunner<Q, R>(handlers: LatestRunnerHandlers<Q, R>): LatestRunner<Q> {
  let inflight: { key: string; id: number } | null = null;
  let waiting: { key: string; query: Q } | null = null;
  let seq = 0;
  let disposed = false;

  function start(key: string, query: Q): void {
    const id = ++seq;
    inflight = { key, id };
    let pending: Promise<R>;
    try {
      pending = handlers.run(query);
    } catch (e) {
      pending = Promise.reject(e);
    }
    // After run: a store update here notifies other effects, whose requests must queue behind.
    handlers.onBusy?.(true);
    pending.then(
      (r) => finish(id, () => handlers.onResult(r, query)),
      (e) => finish(id, () => handlers.onError(e, query)),
    );
  }

  function finish(id: number, deliver: () => void): void {
    if (disposed || inflight?.id !== id) return;
    inflight = null;
    if (waiting) {
      const next = waiting;
      waiting = null;
      start(next.key, next.query);
      return;
    }
    handlers.onBusy?.(false);
    try {
      deliver();
    } catch (e) {
      // A handler that throws must not become an unhandled rejection; report it as the error.
      try {
        handlers.onError(e, undefined as Q);
      } catch {
        // Nothing left to report to.
      }
    }
  }

  return {
    request(key, query) {
      if (disposed) return;
      if (inflight) {
        waiting = inflight.key === key ? null : { key, query };
        return;
      }
      start(key, query);
    },
    busy: () => inflight !== null || waiting !== null,
    superseded: () => waiting !== null,
    cancel() {
      waiting = null;
      if (inflight) {
        inflight = null;
        handlers.onBusy?.(false);
      }
    },
    dispose() {
      disposed = true;
      waiting = null;
      inflight = null;
    },
  };
}
