// What the page shows about saving: a small store of its own, because none of it is session state
// (it is not exported, linked or reset with the explorer) — it describes this browser's storage.
import { create } from 'zustand';
import type { SavedRun } from './savedRuns';

export interface PersistState {
  /** False when the browser gave no usable storage. */
  available: boolean;
  /** An unfinished fine-tune found on load, offered for resume or discard. */
  pending: SavedRun | null;
  /** The newest snapshot stored (tests wait for it; the panel shows it). */
  lastSaved: { id: string; step: number; state: SavedRun['state'] } | null;
  lastSaveFailed: { id: string; step: number } | null;
  /** Fine-tunes saved in this browser. */
  savedCount: number;
  /** A session export or import is under way. */
  busy: 'export' | 'import' | null;
}

export const INITIAL_PERSIST: PersistState = {
  available: true,
  pending: null,
  lastSaved: null,
  lastSaveFailed: null,
  savedCount: 0,
  busy: null,
};

export const usePersist = create<PersistState>()(() => INITIAL_PERSIST);

export function resetPersist(): void {
  usePersist.setState(INITIAL_PERSIST, true);
}
