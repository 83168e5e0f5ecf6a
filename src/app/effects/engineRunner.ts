// The latest-wins runner of one kind of engine work, set up as every effect needs it: busy on its
// channel in the store while a request runs or waits, and a failure shown as an alert that says
// what failed. A request superseded or left (its signal aborted) says nothing.
import { isTaskAborted } from '../../engine/tasks';
import type { Channel } from '../state/run';
import type { StrataStore } from '../store';
import { StaleRequestError } from './engineQueue';
import { createLatestRunner, type LatestRunner } from './latestRunner';
import { errorMessage } from './watch';

export interface EngineWork<Q, R> {
  /** The store's task channel that shows this work busy. */
  channel: Channel;
  /**
   * The engine work for `query`; `signal` aborts when a newer query replaces it or the user left
   * the selection: pass it on to the engine call, which then stops within one batch.
   */
  run(query: Q, signal: AbortSignal): Promise<R>;
  onResult(result: R, query: Q): void;
  /** The alert's opening, e.g. "Analysis of mnist-aligned failed" (no query when onResult threw). */
  failed(query: Q | undefined): string;
  /** Failures that need no alert. */
  quiet?(error: unknown): boolean;
}

export function createEngineRunner<Q, R>(
  store: StrataStore,
  work: EngineWork<Q, R>,
): LatestRunner<Q> {
  return createLatestRunner<Q, R>({
    run: (query, signal) => work.run(query, signal),
    onResult: (result, query) => work.onResult(result, query),
    onError(error, query) {
      if (error instanceof StaleRequestError || isTaskAborted(error) || work.quiet?.(error)) return;
      store.getState().addAlert('error', `${work.failed(query)}: ${errorMessage(error)}`);
    },
    onBusy: (busy) => store.getState().setTask(work.channel, busy ? null : undefined),
  });
}
