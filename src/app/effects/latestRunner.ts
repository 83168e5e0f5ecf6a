/**
 * Runs requests of one kind so that only the newest one's result is delivered: a request made
 * while another is in flight waits (replacing any older waiting one) and aborts the one in flight
 * (its signal), whose result or error is then dropped. So a stale answer never overwrites a newer
 * one, stale work stops early, and requests already superseded never reach the engine.
 */
export interface LatestRunner<Q> {
  /** Asks for `query`, identified by `key`; a key equal to the one in flight (not aborted) is ignored. */
  request(key: string, query: Q): void;
  /** Whether a request is in flight or waiting. */
  busy(): boolean;
  /** Whether a newer request waits behind the one in flight (which is then stale). */
  superseded(): boolean;
  /**
   * The user left the selection: drops the waiting request and aborts the one in flight, whose
   * result is ignored; later requests still run.
   */
  cancel(): void;
  /** Stops for good, aborting the request in flight: nothing more runs or is delivered. */
  dispose(): void;
}

export interface LatestRunnerHandlers<Q, R> {
  /** `signal` aborts when the request is superseded or cancelled: stop then, the result is dropped. */
  run(query: Q, signal: AbortSignal): Promise<R>;
  onResult(result: R, query: Q): void;
  onError(error: unknown, query: Q): void;
  /** Called when a request starts and when the runner falls idle. */
  onBusy?(busy: boolean): void;
}

export function createLatestRunner<Q, R>(handlers: LatestRunnerHandlers<Q, R>): LatestRunner<Q> {
  let inflight: { key: string; id: number; controller: AbortController } | null = null;
  let waiting: { key: string; query: Q } | null = null;
  let seq = 0;
  let disposed = false;

  function start(key: string, query: Q): void {
    const id = ++seq;
    const controller = new AbortController();
    inflight = { key, id, controller };
    let pending: Promise<R>;
    try {
      pending = handlers.run(query, controller.signal);
    } catch (e) {
      pending = Promise.reject(e);
    }
    // After run: a store update here notifies other effects, whose requests must queue behind.
    handlers.onBusy?.(true);
    pending.then(
      (r) => finish(id, true, () => handlers.onResult(r, query)),
      (e) => finish(id, false, () => handlers.onError(e, query)),
    );
  }

  function finish(id: number, ok: boolean, deliver: () => void): void {
    if (disposed || inflight?.id !== id) return;
    const { key, controller } = inflight;
    inflight = null;
    // An aborted call that finished anyway answers a request for its own key that waits.
    if (waiting && !(ok && waiting.key === key)) {
      const next = waiting;
      waiting = null;
      start(next.key, next.query);
      return;
    }
    waiting = null;
    handlers.onBusy?.(false);
    if (controller.signal.aborted && !ok) return;
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
        const same = inflight.key === key && !inflight.controller.signal.aborted;
        waiting = same ? null : { key, query };
        if (!same) inflight.controller.abort();
        return;
      }
      start(key, query);
    },
    busy: () => inflight !== null || waiting !== null,
    superseded: () => waiting !== null,
    cancel() {
      waiting = null;
      if (inflight) {
        inflight.controller.abort();
        inflight = null;
        handlers.onBusy?.(false);
      }
    },
    dispose() {
      disposed = true;
      waiting = null;
      inflight?.controller.abort();
      inflight = null;
    },
  };
}
