// Work asked of the engine before it has started (a file dropped as the page opens) waits for it.
import { useStrata, type StrataStore } from './store';

/**
 * Resolves when the engine has started (its backend is initialised); rejects, with the reason the
 * page shows, if it failed to start.
 */
export function whenEngineReady(store: StrataStore = useStrata): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (): boolean => {
      const { status, error } = store.getState().run;
      if (status === 'ready') resolve();
      else if (status === 'failed') reject(new Error(error ?? 'the engine failed to start'));
      else return false;
      return true;
    };
    if (settle()) return;
    const unsubscribe = store.subscribe(() => {
      if (settle()) unsubscribe();
    });
  });
}
