// Similarity and per-layer accuracy: the model under study, the A/B pair, and the checkpoint being
// fine-tuned. Identical requests (the main model is often one of the pair) share one engine call,
// which is aborted once every panel that asked for it has moved on.
import type { AnalysisRequest, AnalysisResult } from '../../engine/apiTypes';
import { isDeviceLostError } from '../../engine/deviceLoss';
import { isTaskAborted } from '../../engine/tasks';
import { ckaPart, cosinePart, pageAnalysisRequest, requestKey } from '../state/requests';
import { mergeCkaInto } from './mergeAnalysis';
import { settledRevision } from '../state/revisions';
import type { Channel } from '../state/run';
import type { AnalysisRole } from '../state/results';
import type { EffectContext } from './context';
import { PRIORITY } from './context';
import { retryOnDeviceLoss } from './deviceLoss';
import { StaleRequestError } from './engineQueue';
import { createEngineRunner } from './engineRunner';
import type { LatestRunner } from './latestRunner';
import { analysisProgressTo } from './analysisProgress';
import { watch } from './watch';
import { modelTitle } from '../state/modelNames';

const CACHE_SIZE = 16;

/** A view's query: the request, and the model revision it must be of (part of the key). */
interface AnalysisQuery {
  request: AnalysisRequest;
  revision: number;
}

/** One engine call and the panels waiting for it; it is aborted when the last one leaves. */
interface Shared {
  result: Promise<AnalysisResult>;
  controller: AbortController;
  waiting: number;
  settled: boolean;
}

export interface AnalysisEffects {
  /** Analyses a checkpoint of the running fine-tune (never cached: its weights change). */
  analyzeTraining(modelId: string, tag: string): void;
  /** Stops the fine-tune's checkpoint analysis in flight; the one on show stays. */
  cancelTraining(): void;
  /**
   * The user's Cancel: stops the analyses of the model and its A/B pair in the engine (they
   * often share one call); the results on show stay. The same controls ask again once they change.
   */
  cancel(): void;
  dispose(): void;
}

export function connectAnalysis(ctx: EffectContext): AnalysisEffects {
  const { engine, store, queue } = ctx;
  const cache = new Map<string, Shared>();
  const runners = {} as Record<AnalysisRole, LatestRunner<AnalysisQuery>>;

  const progress = (channel: Channel) => analysisProgressTo(store, channel);

  /** The cosine part of a query: its key stays the same when only the CKA variant changes. */
  const cosineKey = (q: AnalysisQuery) =>
    requestKey({ request: cosinePart(q.request), revision: q.revision });
  /** Settled results by their cosine key: a CKA change computes the CKA matrix alone. */
  const byCosine = new Map<string, AnalysisResult>();

  function cached(q: AnalysisQuery, channel: Channel, priority: number, signal: AbortSignal) {
    // A fine-tune's weights change under its id: a result is reused only at the same revision.
    const key = requestKey(q);
    let shared = cache.get(key);
    if (!shared) {
      const controller = new AbortController();
      const base = byCosine.get(cosineKey(q));
      // Cosine (and accuracy, class means) unchanged: ask for the CKA part and keep the rest.
      const req = base ? ckaPart(q.request) : q.request;
      const result = queue
        .run(
          priority,
          () => retryOnDeviceLoss(() => engine.analyze(req, progress(channel), controller.signal)),
          () => controller.signal.aborted,
        )
        .then((r) => (base ? mergeCkaInto(base, r, q.request) : r));
      const entry: Shared = { result, controller, waiting: 0, settled: false };
      result.then(
        (r) => {
          entry.settled = true;
          byCosine.delete(cosineKey(q));
          byCosine.set(cosineKey(q), r);
          while (byCosine.size > CACHE_SIZE) byCosine.delete(byCosine.keys().next().value!);
        },
        () => cache.get(key) === entry && cache.delete(key),
      );
      cache.set(key, entry);
      while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
      shared = entry;
    }
    const entry = shared;
    if (!entry.settled) {
      entry.waiting += 1;
      const leave = () => {
        entry.waiting -= 1;
        if (entry.waiting > 0 || entry.settled) return;
        entry.controller.abort();
        // A panel that comes back to this request starts a fresh call.
        if (cache.get(key) === entry) cache.delete(key);
      };
      signal.addEventListener('abort', leave, { once: true });
      const stopListening = () => signal.removeEventListener('abort', leave);
      entry.result.then(stopListening, stopListening);
    }
    return entry.result;
  }

  async function analyzeFor(
    q: AnalysisQuery,
    channel: Channel,
    priority: number,
    signal: AbortSignal,
  ) {
    for (;;) {
      try {
        return await cached(q, channel, priority, signal);
      } catch (e) {
        // A shared call stopped by others leaving: ask again if this panel still wants it.
        const stopped = e instanceof StaleRequestError || isTaskAborted(e);
        if (stopped && !signal.aborted) continue;
        throw e;
      }
    }
  }

  function makeRunner(role: AnalysisRole, channel: Channel, priority: number, useCache: boolean) {
    runners[role] = createEngineRunner<AnalysisQuery, AnalysisResult>(store, {
      channel,
      run: (q, signal) =>
        useCache
          ? analyzeFor(q, channel, priority, signal)
          : queue.run(
              priority,
              () => engine.analyze(q.request, progress(channel), signal),
              () => signal.aborted,
            ),
      onResult: (result) => store.getState().setAnalysis(role, result),
      failed: (q) =>
        `Analysis of ${q ? modelTitle(store.getState().results.models, q.request.modelId) : 'the model'} failed`,
      // A fine-tune's checkpoint interrupted by a device loss: the resumed run analyses anew.
      quiet: (error) => role === 'training' && isDeviceLostError(error),
    });
  }
  makeRunner('main', 'main', PRIORITY.main, true);
  makeRunner('a', 'a', PRIORITY.compare, true);
  makeRunner('b', 'b', PRIORITY.compare, true);
  makeRunner('training', 'training', PRIORITY.training, false);

  const watchRole = (role: 'main' | 'a' | 'b') =>
    watch(
      store,
      (s) => {
        const id = role === 'main' ? s.config.modelId : s.config.compare[role];
        if (!id || !s.config.dataset) return null;
        const q: AnalysisQuery = {
          request: pageAnalysisRequest(s, id),
          revision: settledRevision(s, id),
        };
        return requestKey(q);
      },
      (key) => runners[role].request(key, JSON.parse(key) as AnalysisQuery),
      // A compare slot emptied (or the model gone): its analysis is no longer wanted.
      () => runners[role].cancel(),
    );
  const unwatch = [watchRole('main'), watchRole('a'), watchRole('b')];

  return {
    analyzeTraining(modelId, tag) {
      const s = store.getState();
      const q = {
        request: pageAnalysisRequest(s, modelId),
        revision: settledRevision(s, modelId),
      };
      runners.training.request(`${tag}:${requestKey(q)}`, q);
    },
    cancelTraining() {
      runners.training.cancel();
    },
    cancel() {
      const busy = (['main', 'a', 'b'] as const).filter((role) => runners[role].busy());
      if (busy.length === 0) return;
      busy.forEach((role) => runners[role].cancel());
      store
        .getState()
        .addAlert(
          'notice',
          'Analysis cancelled; the charts show the previous result. Change a control to analyse again.',
          'analysis-cancelled',
        );
    },
    dispose() {
      unwatch.forEach((u) => u());
      Object.values(runners).forEach((r) => r.dispose());
      cache.clear();
      byCosine.clear();
    },
  };
}
