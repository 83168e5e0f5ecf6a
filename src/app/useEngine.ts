import { useEffect } from 'react';
import { startEngineWorker, type EngineClient } from './engineClient';
import { useStrata } from './store';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// The running engine lives outside React and outside the store: it is a resource, not state.
let current: EngineClient | null = null;

/** The engine the page started; throws if called before the engine exists. */
export function getEngine(): EngineClient {
  if (!current) throw new Error('the engine worker has not started yet');
  return current;
}

/** Starts the engine worker once, initialises its backend and runs the pipe check. */
export function useEngine(): void {
  useEffect(() => {
    const { config, setRun, setResults } = useStrata.getState();
    const engine = startEngineWorker();
    current = engine;
    let cancelled = false;
    (async () => {
      try {
        const info = await engine.api.init({ backend: config.backend });
        if (cancelled) return;
        setRun({ status: 'ready', backendInfo: info });
        const demo = await engine.api.demo(config.seed);
        if (!cancelled) setResults({ demo });
      } catch (e) {
        if (!cancelled) setRun({ status: 'failed', error: message(e) });
      }
    })();
    return () => {
      cancelled = true;
      engine.terminate();
      if (current === engine) current = null;
    };
  }, []);
}
