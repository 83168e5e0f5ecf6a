// What a tab takes from the saved runs when it loads, or when another tab finishes one.
import type { ExplorerEngine } from '../engineViews';
import { errorMessage } from '../effects/watch';
import { isUnfinished, type SavedRun, type SavedRuns } from './savedRuns';
import type { TabCoordination } from './tabs';

/** Loads the finished runs the engine does not have yet (saved earlier, or by another tab). */
export async function loadFinished(
  engine: Pick<ExplorerEngine, 'listModels' | 'registerCheckpoint'>,
  runs: Pick<SavedRuns, 'bytes'>,
  list: SavedRun[],
  alert: (kind: 'error', text: string) => void,
): Promise<void> {
  const loaded = new Set((await engine.listModels()).map((m) => m.id));
  for (const run of list.filter((r) => !isUnfinished(r) && !loaded.has(r.id))) {
    try {
      const bytes = await runs.bytes(run);
      await engine.registerCheckpoint(run.info, { weights: bytes.weights, config: bytes.config });
    } catch (e) {
      alert('error', `Could not load the saved fine-tune ${run.id}: ${errorMessage(e)}`);
    }
  }
}

/**
 * The unfinished run this tab offers to resume, claimed for it: the one it was training before a
 * reload, else the newest that no other tab claims (one that trains it, or offers it already).
 * Two tabs reloading at once each get their own; a run is never offered in two tabs.
 */
export async function claimPending(
  tabs: Pick<TabCoordination, 'ownRun' | 'claim'>,
  unfinished: SavedRun[],
): Promise<SavedRun | null> {
  const own = tabs.ownRun();
  const newestFirst = [...unfinished].reverse();
  const order = [
    ...newestFirst.filter((r) => r.id === own),
    ...newestFirst.filter((r) => r.id !== own),
  ];
  for (const run of order) if (await tabs.claim(run.id)) return run;
  return null;
}
