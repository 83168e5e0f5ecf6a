// Similarity and per-layer accuracy: the model under study, the A/B pair, and the checkpoint being
// fine-tuned. Identical requests (the main model is often one of the pair) share one engine call.
import type { AnalysisRequest, AnalysisResult } from '../../engine/apiTypes';
import { isDeviceLostError } from '../../engine/deviceLoss';
import { analysisRequest, requestKey } from '../state/requests';
import type { Channel } from '../state/run';
import type { AnalysisRole } from '../state/results';
import type { EffectContext } from './context';
import { PRIORITY } from './context';
import { retryOnDeviceLoss } from './deviceLoss';
import { StaleRequestError } from './engineQueue';
import { createEngineRunner } from './engineRunner';
import type { LatestRunner } from './latestRunner';
import { progressTo } from './progress';
import { watch } from './watch';

const CACHE_SIZE = 16;

export interface AnalysisEffects {
  /** Analyses a checkpoint of the running fine-tune (never cached: its weights change). */
  analyzeTraining(modelId: string, tag: string): void;
  dispose(): void;
}

export function connectAnalysis(ctx: EffectContext): AnalysisEffects {
  const { engine, store, queue } = ctx;
  const cache = new Map<string, Promise<AnalysisResult>>();
  const runners = {} as Record<AnalysisRole, LatestRunner<AnalysisRequest>>;

  const progress = (channel: Channel) => progressTo(store, channel);

  function cached(req: AnalysisRequest, role: AnalysisRole, channel: Channel, priority: number) {
    const key = requestKey(req);
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
    req: AnalysisRequest,
    role: AnalysisRole,
    channel: Channel,
    priority: number,
  ) {
    for (;;) {
      try {
        return await cached(req, role, channel, priority);
      } catch (e) {
        // A shared call skipped because its first requester moved on: ask again if this one still wants it.
        if (e instanceof StaleRequestError && !runners[role].superseded()) continue;
        throw e;
      }
    }
  }

  function makeRunner(role: AnalysisRole, channel: Channel, priority: number, useCache: boolean) {
    runners[role] = createEngineRunner<AnalysisRequest, AnalysisResult>(store, {
      channel,
      run: (req, stale) =>
        useCache
          ? analyzeFor(req, role, channel, priority)
          : queue.run(priority, () => engine.analyze(req, progress(channel)), stale),
      onResult: (result) => store.getState().setAnalysis(role, result),
      failed: (req) => `Analysis of ${req?.modelId ?? 'the model'} failed`,
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
        return id && s.config.dataset ? requestKey(analysisRequest(s.config, id)) : null;
      },
      (key) => runners[role].request(key, JSON.parse(key) as AnalysisRequest),
    );
  const unwatch = [watchRole('main'), watchRole('a'), watchRole('b')];

  return {
    analyzeTraining(modelId, tag) {
      const req = analysisRequest(store.getState().config, modelId);
      runners.training.request(`${tag}:${requestKey(req)}`, req);
    },
    dispose() {
      unwatch.forEach((u) => u());
      Object.values(runners).forEach((r) => r.dispose());
      cache.clear();
    },
  };
}
