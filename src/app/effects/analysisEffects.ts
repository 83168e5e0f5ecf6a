// Similarity and per-layer accuracy: the model under study, the A/B pair, and the checkpoint being
// fine-tuned. Identical requests (the main model is often one of the pair) share one engine call.
import type { AnalysisRequest, AnalysisResult } from '../../engine/apiTypes';
import { isDeviceLostError } from '../../engine/deviceLoss';
import { analysisRequest, requestKey } from '../state/requests';
import { settledRevision } from '../state/revisions';
import type { Channel } from '../state/run';
import type { AnalysisRole } from '../state/results';
import type { EffectContext } from './context';
import { PRIORITY } from './context';
import { retryOnDeviceLoss } from './deviceLoss';
import { StaleRequestError } from './engineQueue';
import { createLatestRunner, type LatestRunner } from './latestRunner';
import { progressTo } from './progress';
import { errorMessage, watch } from './watch';

const CACHE_SIZE = 16;

/** A view's query: the request, and the model revision it must be of (part of the key). */
interface AnalysisQuery {
  request: AnalysisRequest;
  revision: number;
}

export interface AnalysisEffects {
  /** Analyses a checkpoint of the running fine-tune (never cached: its weights change). */
  analyzeTraining(modelId: string, tag: string): void;
  dispose(): void;
}

export function connectAnalysis(ctx: EffectContext): AnalysisEffects {
  const { engine, store, queue } = ctx;
  const cache = new Map<string, Promise<AnalysisResult>>();
  const runners = {} as Record<AnalysisRole, LatestRunner<AnalysisQuery>>;

  const progress = (channel: Channel) => progressTo(store, channel);

  function cached(q: AnalysisQuery, role: AnalysisRole, channel: Channel, priority: number) {
    // A fine-tune's weights change under its id: a result is reused only at the same revision.
    const key = requestKey(q);
    const req = q.request;
    let p = cache.get(key);
    if (!p) {
      p = queue.run(
        priority,
        () => retryOnDeviceLoss(() => engine.analyze(req, progress(channel))),
        runners[role].superseded,
      );
      cache.set(key, p);
      p.catch(() => cache.delete(key));
      while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return p;
  }

  async function analyzeFor(
    q: AnalysisQuery,
    role: AnalysisRole,
    channel: Channel,
    priority: number,
  ) {
    for (;;) {
      try {
        return await cached(q, role, channel, priority);
      } catch (e) {
        // A shared call skipped because its first requester moved on: ask again if this one still wants it.
        if (e instanceof StaleRequestError && !runners[role].superseded()) continue;
        throw e;
      }
    }
  }

  function makeRunner(role: AnalysisRole, channel: Channel, priority: number, useCache: boolean) {
    runners[role] = createLatestRunner<AnalysisQuery, AnalysisResult>({
      run: (q) =>
        useCache
          ? analyzeFor(q, role, channel, priority)
          : queue.run(
              priority,
              () => engine.analyze(q.request, progress(channel)),
              () => runners[role].superseded(),
            ),
      onResult: (result) => store.getState().setAnalysis(role, result),
      onError(error, q) {
        if (error instanceof StaleRequestError) return;
        // A fine-tune's checkpoint interrupted by a device loss: the resumed run analyses anew.
        if (role === 'training' && isDeviceLostError(error)) return;
        store
          .getState()
          .addAlert(
            'error',
            `Analysis of ${q?.request.modelId ?? 'the model'} failed: ${errorMessage(error)}`,
          );
      },
      onBusy: (busy) => store.getState().setTask(channel, busy ? null : undefined),
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
          request: analysisRequest(s.config, id),
          revision: settledRevision(s, id),
        };
        return requestKey(q);
      },
      (key) => runners[role].request(key, JSON.parse(key) as AnalysisQuery),
    );
  const unwatch = [watchRole('main'), watchRole('a'), watchRole('b')];

  return {
    analyzeTraining(modelId, tag) {
      const s = store.getState();
      const q = {
        request: analysisRequest(s.config, modelId),
        revision: settledRevision(s, modelId),
      };
      runners.training.request(`${tag}:${requestKey(q)}`, q);
    },
    dispose() {
      unwatch.forEach((u) => u());
      Object.values(runners).forEach((r) => r.dispose());
      cache.clear();
    },
  };
}
