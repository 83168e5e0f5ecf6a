// Nothing lost on reload: the fine-tune's snapshots go to browser storage as they arrive; on load,
// finished fine-tunes are loaded back into the engine (so A/B lists them) and an unfinished one is
// offered for resume. A failed save is an alert, never a stop: training carries on.
// Several tabs share the storage (tabs.ts): run ids come from a shared counter, a live run is
// claimed by its tab so no other tab offers it, and a run finished in one tab appears in the others.
import type { StreamPoint } from '../../charts/streamingChart';
import type { StartTrainingOptions, TrainSnapshot } from '../../engine/apiTypes';
import type { EffectContext } from '../effects/context';
import type { StreamFeed } from '../effects/streamFeed';
import type { TrainingController } from '../effects/trainingController';
import { errorMessage } from '../effects/watch';
import { modelTitle } from '../state/modelNames';
import { isTrainingActive } from '../state/run';
import type { KeyValueStore } from './keyValueStore';
import { usePersist } from './persistState';
import { runIdOf } from './runIds';
import { exportSession, importSession } from './sessionTransfer';
import {
  isUnfinished,
  savedRuns,
  type SavedRun,
  type SavedRuns,
  type UnsavedRun,
} from './savedRuns';
import { claimPending, loadFinished } from './tabRuns';
import { localTabs, type TabCoordination } from './tabs';

export interface Persistence {
  runs: SavedRuns;
  /** Called with every snapshot the engine sends. */
  onSnapshot(snapshot: TrainSnapshot): void;
  /** What a new run must be told: its number, handed out across tabs, which this tab claims. */
  startOptions(): Promise<StartTrainingOptions>;
  /** Reads storage: loads finished fine-tunes into the engine, finds an unfinished one. */
  restore(): Promise<void>;
  resumePending(): Promise<void>;
  discardPending(): Promise<void>;
  /** Offers `run` for resume in this tab, unless another tab has claimed it or one is offered. */
  offer(run: SavedRun): Promise<void>;
  /** Shows a finished run's results (curve, evaluations, progress) when no run is active. */
  show(run: Omit<SavedRun, 'bytesKey' | 'savedAt'>): void;
  /** Runs whose last snapshot could not be stored, newest per id. */
  unsaved(): UnsavedRun[];
  /** Resolves when every snapshot received so far has been handled. */
  flushed(): Promise<void>;
  /**
   * Loads the saved finished fine-tunes the engine does not list (one finished in another tab, or
   * one a device loss dropped) and refreshes the model list.
   */
  reloadFinished(): Promise<void>;
  /** Re-reads which runs are saved (after an import). */
  refreshSaved(): Promise<void>;
  /** Downloads the session as one file. */
  exportSession(): Promise<void>;
  /** Imports a session file; alerts say what came in or what was wrong (nothing changes then). */
  importSession(bytes: Uint8Array, fileName: string): Promise<void>;
  dispose(): void;
}

const isQuotaError = (e: unknown) =>
  e instanceof Error &&
  (e.name === 'QuotaExceededError' ||
    /quota/i.test(e.message) ||
    e.name === 'NS_ERROR_DOM_QUOTA_REACHED');

export function connectPersistence(
  { engine, store }: EffectContext,
  kv: KeyValueStore,
  feed: StreamFeed,
  training: () => TrainingController | null,
  refreshModels: () => Promise<void>,
  tabs: TabCoordination = localTabs(),
): Persistence {
  const runs = savedRuns(kv, tabs.exclusive);
  let disposed = false;
  let chain: Promise<void> = Promise.resolve();
  /** The newest snapshot received per run; an older one still queued is skipped. */
  const newest = new Map<string, number>();
  const failedRuns = new Map<string, UnsavedRun>();
  let knownIds = new Set<string>();
  const alert = (kind: 'error' | 'notice', text: string, key?: string) =>
    store.getState().addAlert(kind, text, key);

  const countSaved = async () => {
    try {
      const list = await runs.list();
      knownIds = new Set([...knownIds, ...list.map((r) => r.id)]);
      usePersist.setState({ savedCount: list.length });
      return list.length;
    } catch {
      return usePersist.getState().savedCount;
    }
  };

  async function save(snapshot: TrainSnapshot, curve: StreamPoint[], seq: number) {
    const { id } = snapshot.model;
    if (disposed || newest.get(id) !== seq) return;
    const evals = store.getState().results.training.evals.filter((e) => e.step <= snapshot.step);
    try {
      const run = await runs.save(snapshot, { evals, curve });
      failedRuns.delete(id);
      knownIds.add(id);
      usePersist.setState({ lastSaved: { id, step: run.step, state: run.state } });
      await countSaved();
      if (!isUnfinished(run)) tabs.announceFinished(id);
    } catch (e) {
      const { model, step } = snapshot;
      failedRuns.set(id, {
        run: {
          id,
          info: model,
          request: snapshot.request,
          step,
          state: snapshot.state,
          dataPosition: snapshot.dataPosition,
          evals,
          curve,
        },
        bytes: {
          weights: snapshot.weights,
          config: snapshot.config,
          optimizer: snapshot.optimizer,
        },
      });
      const n = await countSaved();
      const kept = `kept the ${n} checkpoint${n === 1 ? '' : 's'} already saved; export the session to keep this one.`;
      alert(
        'error',
        isQuotaError(e)
          ? `Browser storage is full: ${id} at step ${step} was not saved; ${kept}`
          : `Browser storage failed (${errorMessage(e)}): ${id} at step ${step} was not saved; ${kept}`,
        // Every later snapshot fails the same way: one alert, saying the latest step.
        'storage-save',
      );
      usePersist.setState({ lastSaveFailed: { id, step } });
    } finally {
      // A finished run is no longer this tab's to resume.
      if (!isUnfinished(snapshot)) {
        tabs.release(id);
        if (tabs.ownRun() === id) tabs.setOwnRun(null);
      }
    }
  }

  // One load at a time: two would register the same run twice.
  let loading: Promise<void> = Promise.resolve();
  const reloadFinished = () =>
    (loading = loading.then(async () => {
      if (disposed) return;
      try {
        await loadFinished(engine, runs, await runs.list(), alert);
        await countSaved();
      } catch {
        // Storage went away: nothing more comes back from it.
      }
      await refreshModels();
    }));
  const stopListening = tabs.onFinished(() => void reloadFinished());

  const persistence: Persistence = {
    runs,
    reloadFinished,
    onSnapshot(snapshot) {
      if (disposed) return;
      const seq = (newest.get(snapshot.model.id) ?? 0) + 1;
      newest.set(snapshot.model.id, seq);
      // The curve is taken now: points after the snapshot's step must not be saved with it.
      const curve = feed.points().filter((p) => p.x <= snapshot.step);
      chain = chain.then(() => save(snapshot, curve, seq));
    },
    async startOptions() {
      const models = store.getState().results.models.map((m) => m.id);
      try {
        const n = await runs.newRunNumber([...knownIds, ...models]);
        await tabs.claim(runIdOf(n));
        tabs.setOwnRun(runIdOf(n));
        return { runNumber: n };
      } catch {
        // No storage: nothing is shared with other tabs, the engine numbers the run itself.
        return { avoidIds: [...knownIds] };
      }
    },
    async restore() {
      let list: SavedRun[];
      try {
        await runs.sweep();
        list = await runs.list();
      } catch (e) {
        usePersist.setState({ available: false });
        alert(
          'notice',
          `Browser storage is not available (${errorMessage(e)}): fine-tunes will not survive a reload; export the session to keep them.`,
        );
        return;
      }
      knownIds = new Set(list.map((r) => r.id));
      usePersist.setState({ available: true, savedCount: list.length });
      await loadFinished(engine, runs, list, alert);
      const pending = await claimPending(tabs, list.filter(isUnfinished));
      if (!disposed) usePersist.setState({ pending });
      await refreshModels();
      // With nothing to resume, the newest finished fine-tune's curves and accuracy come back.
      const finished = list.filter((r) => !isUnfinished(r));
      const newestRun = finished[finished.length - 1];
      if (!disposed && !pending && newestRun) persistence.show(newestRun);
    },
    async resumePending() {
      const { pending } = usePersist.getState();
      const controller = training();
      if (!pending || !controller) return;
      try {
        const snapshot = await runs.snapshot(pending);
        usePersist.setState({ pending: null });
        tabs.setOwnRun(pending.id);
        controller.resumeFrom(snapshot, { evals: pending.evals, curve: pending.curve });
      } catch (e) {
        alert('error', `Could not resume ${pending.id}: ${errorMessage(e)}`);
      }
    },
    async discardPending() {
      const { pending } = usePersist.getState();
      if (!pending) return;
      try {
        await runs.discard(pending.id);
        knownIds.delete(pending.id);
        tabs.release(pending.id);
        if (tabs.ownRun() === pending.id) tabs.setOwnRun(null);
        usePersist.setState({ pending: null });
        await countSaved();
      } catch (e) {
        alert('error', `Could not discard ${pending.id}: ${errorMessage(e)}`);
      }
    },
    async offer(run) {
      if (usePersist.getState().pending || !(await tabs.claim(run.id))) return;
      if (!disposed) usePersist.setState({ pending: run });
    },
    show(run) {
      const s = store.getState();
      if (isTrainingActive(s.run.training.state)) return;
      const model = s.results.models.find((m) => m.id === run.id);
      if (!model) return;
      feed.reset();
      feed.push(run.curve);
      s.setResults({ training: { evals: run.evals, model } });
      s.setTraining({
        state: run.state === 'done' ? 'done' : 'stopped',
        step: run.step,
        steps: run.request.steps,
        stepsPerSecond: null,
        baseModelId: run.request.baseModelId,
        loss: run.request.loss,
      });
    },
    unsaved: () => [...failedRuns.values()],
    flushed: () => chain,
    async refreshSaved() {
      await countSaved();
    },
    async exportSession() {
      usePersist.setState({ busy: 'export' });
      try {
        await chain;
        await exportSession(store, persistence);
      } catch (e) {
        alert('error', `Could not export the session: ${errorMessage(e)}`);
      } finally {
        usePersist.setState({ busy: null });
      }
    },
    async importSession(bytes, fileName) {
      usePersist.setState({ busy: 'import' });
      try {
        const deps = { engine, store, persistence, refreshModels };
        const ids = await importSession(bytes, fileName, deps);
        await countSaved();
        const models = store.getState().results.models;
        const names = ids.map((id) => modelTitle(models, id)).join('; ');
        alert(
          'notice',
          `Imported session ${fileName}: ${ids.length} checkpoint${ids.length === 1 ? '' : 's'}${ids.length ? ` (${names})` : ''}.`,
        );
      } catch (e) {
        alert('error', `Could not import ${fileName}: ${errorMessage(e)}`);
      } finally {
        usePersist.setState({ busy: null });
      }
    },
    dispose() {
      disposed = true;
      stopListening();
      tabs.dispose();
    },
  };
  return persistence;
}
