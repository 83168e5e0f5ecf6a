// The A/B view's across heatmap: every layer of checkpoint A against every layer of B, on the
// same samples, for the chosen measure. Asked again whenever the pair or the settings change.
import type { CrossAnalysisQuery, CrossAnalysisResult } from '../../engine/apiTypes';
import { crossRequest, requestKey } from '../state/requests';
import type { EffectContext } from './context';
import { PRIORITY } from './context';
import { createEngineRunner } from './engineRunner';
import { progressTo } from './progress';
import { watch } from './watch';
import { modelTitle } from '../state/modelNames';

export function connectAcross(ctx: EffectContext): () => void {
  const { engine, store, queue } = ctx;
  const runner = createEngineRunner<CrossAnalysisQuery, CrossAnalysisResult>(store, {
    channel: 'across',
    run: (q, signal) =>
      queue.run(
        PRIORITY.compare,
        () => engine.analyzeAcross(q, progressTo(store, 'across'), signal),
        () => signal.aborted,
      ),
    onResult: (result) => store.getState().setResults({ across: result }),
    failed: (q) => {
      const name = (id: string) => modelTitle(store.getState().results.models, id);
      return `Comparing ${q ? name(q.modelId) : 'A'} with ${q ? name(q.versusModelId) : 'B'} layer by layer failed`;
    },
  });
  const unwatch = watch(
    store,
    (s) => {
      const { a, b } = s.config.compare;
      if (!a || !b || !s.config.dataset) return null;
      const width = (id: string) => s.results.models.find((m) => m.id === id)?.hiddenSize;
      const wa = width(a);
      if (wa === undefined || width(b) === undefined) return null;
      return requestKey(crossRequest(s, a, b, wa === width(b)));
    },
    (key) => runner.request(key, JSON.parse(key) as CrossAnalysisQuery),
    () => runner.cancel(),
  );
  return () => {
    unwatch();
    runner.dispose();
  };
}
