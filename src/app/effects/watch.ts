import type { StoreApi } from 'zustand';

/**
 * Calls `effect` whenever `key(state)` changes to a new non-null value (and once at once if it is
 * non-null now), and `left` when it changes from a value to null (the user left the selection).
 * The key is the identity of what the effect would ask the engine for, so unrelated store
 * changes never trigger engine work. Returns the unsubscribe function.
 */
export function watch<S>(
  store: StoreApi<S>,
  key: (state: S) => string | null,
  effect: (key: string, state: S) => void,
  left?: () => void,
): () => void {
  let last: string | null = null;
  const check = (state: S) => {
    const k = key(state);
    if (k === last) return;
    const had = last !== null;
    last = k;
    if (k !== null) effect(k, state);
    else if (had) left?.();
  };
  check(store.getState());
  return store.subscribe(check);
}

/** A readable message from anything thrown across the worker boundary. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}
