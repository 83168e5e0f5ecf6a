// Early exit: the threshold sweep of the shared classifier (the model under study) and of the
// multi-head baseline, then a readout at the slider's threshold, computed exactly from the
// engine's cache of the sweep (fast, so it follows the slider).
import type { ExitReadout, ExitRequest, ExitResult } from '../../engine/apiTypes';
import { isTaskAborted } from '../../engine/tasks';
import { exitQuery, requestKey, type ExitQuery } from '../state/requests';
import type { EffectContext } from './context';
import { PRIORITY } from './context';
import { retryOnDeviceLoss } from './deviceLoss';
import { StaleRequestError } from './engineQueue';
import { createEngineRunner } from './engineRunner';
import { progressTo } from './progress';
import { errorMessage, watch } from './watch';
import { modelTitle } from '../state/modelNames';

export { exitQuery } from '../state/requests';

interface ExitAnswer {
  shared: ExitResult;
  multi: ExitResult | null;
}

interface ReadoutQuery {
  /** The sweeps on show, with the revisions they were computed at. */
  shared: ExitRequest;
  multi: ExitRequest | null;
  threshold: number;
}

export function connectExits({ engine, store, queue }: EffectContext): () => void {
  const progress = progressTo(store, 'exits');

  const sweeps = createEngineRunner<ExitQuery, ExitAnswer>(store, {
    channel: 'exits',
    async run(q, signal) {
      const stale = (): boolean => signal.aborted;
      const shared = await queue.run(
        PRIORITY.exits,
        () => retryOnDeviceLoss(() => engine.exitTradeoff(q.shared, progress, signal)),
        stale,
      );
      let multi: ExitResult | null = null;
      if (q.multi) {
        const req = q.multi;
        try {
          multi = await queue.run(
            PRIORITY.exits,
            () => retryOnDeviceLoss(() => engine.exitTradeoff(req, progress, signal)),
            stale,
          );
        } catch (e) {
          if (e instanceof StaleRequestError || isTaskAborted(e)) throw e;
          store
            .getState()
            .addAlert(
              'error',
              `Early exit of ${modelTitle(store.getState().results.models, req.modelId)} failed: ${errorMessage(e)}`,
            );
        }
      }
      return { shared, multi };
    },
    onResult: (answer) =>
      store.getState().setResults({ exits: { shared: answer.shared, multi: answer.multi } }),
    failed: (q) =>
      `Early exit of ${q ? modelTitle(store.getState().results.models, q.shared.modelId) : 'the model'} failed`,
  });

  const readouts = createEngineRunner<ReadoutQuery, Record<'shared' | 'multi', ExitReadout | null>>(
    store,
    {
      channel: 'readout',
      async run(q) {
        const [shared, multi] = await Promise.all([
          engine.exitReadout(q.shared, q.threshold),
          q.multi ? engine.exitReadout(q.multi, q.threshold) : Promise.resolve(null),
        ]);
        return { shared, multi };
      },
      onResult(r, q) {
        // The sweep read from, so that a readout is never shown beside another sweep's curve.
        const { revision = 0, ...request } = q.shared;
        const readout = { threshold: q.threshold, sweep: { request, revision }, ...r };
        store.getState().setResults({ readout });
      },
      failed: () => 'Early-exit readout failed',
    },
  );

  const unwatchSweeps = watch(
    store,
    (s) => {
      const q = exitQuery(s);
      return q ? requestKey(q) : null;
    },
    (key) => sweeps.request(key, JSON.parse(key) as ExitQuery),
    () => sweeps.cancel(),
  );

  // A readout only for sweeps that match the controls (never the old rule's sweep with a new τ).
  const unwatchReadouts = watch(
    store,
    (s) => {
      const q = exitQuery(s);
      const { shared, multi } = s.results.exits;
      if (!q || !shared || requestKey(shared.request) !== requestKey(q.shared)) return null;
      // Read from the sweeps on show, which may be of an older revision than the newest weights.
      const readout: ReadoutQuery = {
        shared: { ...shared.request, revision: shared.revision },
        multi: multi ? { ...multi.request, revision: multi.revision } : null,
        threshold: s.config.exit.threshold,
      };
      return requestKey(readout);
    },
    (key) => readouts.request(key, JSON.parse(key) as ReadoutQuery),
  );

  return () => {
    unwatchSweeps();
    unwatchReadouts();
    sweeps.dispose();
    readouts.dispose();
  };
}
