// Early exit: the threshold sweep of the shared classifier (the model under study) and of the
// multi-head baseline, then a readout at the slider's threshold, computed exactly from the
// engine's cache of the sweep (fast, so it follows the slider).
import type { ExitReadout, ExitRequest, ExitResult } from '../../engine/apiTypes';
import { isTaskAborted } from '../../engine/tasks';
import { headMismatch } from '../import/userDatasetFit';
import { multiheadOf } from '../state/catalog';
import { exitRequest, requestKey } from '../state/requests';
import { samplesFor } from '../state/sampleBudgetState';
import { settledRevision } from '../state/revisions';
import type { StrataState } from '../store';
import type { EffectContext } from './context';
import { PRIORITY } from './context';
import { retryOnDeviceLoss } from './deviceLoss';
import { StaleRequestError } from './engineQueue';
import { createEngineRunner } from './engineRunner';
import { progressTo } from './progress';
import { errorMessage, watch } from './watch';

interface ExitQuery {
  shared: ExitRequest;
  multi: ExitRequest | null;
  /** The revisions the sweeps must be of (part of the key: a fine-tune's weights change). */
  revisions: { shared: number; multi: number | null };
}

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

/** The sweeps the current controls ask for, or null before a model is chosen. */
export function exitQuery(
  s: Pick<StrataState, 'config' | 'results'> & Partial<Pick<StrataState, 'run' | 'budget'>>,
): ExitQuery | null {
  const { config, results } = s;
  if (!config.modelId || !config.dataset) return null;
  // Exits score the head's predictions against the labels: no sweep for a head of other classes.
  if (headMismatch(results.models, results.datasets, config.modelId, config.dataset)) return null;
  const multi = multiheadOf(results.models, config.dataset);
  const multiId = multi && multi.id !== config.modelId ? multi.id : null;
  return {
    // The sweep reads the samples the analysis reads (the first analysis's budget).
    shared: exitRequest({ ...config, samples: samplesFor(s, config.modelId) }, config.modelId),
    multi: multiId ? exitRequest({ ...config, samples: samplesFor(s, multiId) }, multiId) : null,
    revisions: {
      shared: settledRevision(s, config.modelId),
      multi: multiId ? settledRevision(s, multiId) : null,
    },
  };
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
            .addAlert('error', `Early exit of ${req.modelId} failed: ${errorMessage(e)}`);
        }
      }
      return { shared, multi };
    },
    onResult: (answer) =>
      store.getState().setResults({ exits: { shared: answer.shared, multi: answer.multi } }),
    failed: (q) => `Early exit of ${q?.shared.modelId ?? 'the model'} failed`,
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
      onResult: (r, q) =>
        store
          .getState()
          .setResults({ readout: { threshold: q.threshold, shared: r.shared, multi: r.multi } }),
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
