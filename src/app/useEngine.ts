import { useEffect } from 'react';
import type { AnalysisResult } from '../engine/apiTypes';
import { onBackendEvent } from './effects/deviceLoss';
import { connectExplorer, getExplorer, setExplorer } from './effects/connect';
import { trainingFeed } from './effects/streamFeed';
import { errorMessage } from './effects/watch';
import { startEngineWorker } from './engineClient';
import type { Engine } from './engineViews';
import { indexedDbStore } from './persist/keyValueStore';
import { browserTabs } from './persist/tabs';
import { useStrata } from './store';
import { readUrlOptions } from './urlOptions';
import { engineOf } from './wrapEngine';

// The running engine lives outside React and outside the store: it is a resource, not state.
let current: Engine | null = null;

declare global {
  interface Window {
    /**
     * A handle for scripting the engine from the browser console (and for end-to-end checks):
     * `await strata.engine.analyzeActivations(layers)` runs the same code as the page.
     */
    strata?: { engine: Engine; testHooks?: TestHooks };
  }
}

/** Only with `?test-hooks=1`: what end-to-end tests need beyond what a user can do. */
export interface TestHooks {
  /** Destroys the engine's GPU device (a simulated loss off WebGPU), as a driver reset would. */
  loseDevice(): Promise<void>;
  /** The main checkpoint's analysis as the page holds it (null before the first). */
  mainAnalysis(): AnalysisResult | null;
  /** The engine work the page is waiting for, by channel (e.g. "main" for the main analysis). */
  busyChannels(): string[];
}

/**
 * The page's engine for what runs outside the explorer's effects (the importers, which the drop
 * zone and the buttons call): each call goes to the worker running then, and is refused, saying
 * why, while none runs.
 */
export const pageEngine: Engine = engineOf((method, args) => {
  if (!current) return Promise.reject(new Error('the engine worker has not started yet'));
  return (current[method] as (...a: unknown[]) => Promise<unknown>)(...args);
});

/**
 * Starts the engine worker once, initialises its backend, runs the pipe check, then connects the
 * explorer (config changes → engine requests → results in the store).
 */
export function useEngine(): void {
  useEffect(() => {
    const { config, setRun, setResults, addAlert } = useStrata.getState();
    const client = startEngineWorker((message) => {
      addAlert('error', message);
      // A worker that never started answers no call: without this the badge would say
      // "starting engine…" for ever.
      if (useStrata.getState().run.status === 'starting') {
        setRun({
          status: 'failed',
          error: `${message}. Reload the page; if it fails again, try another browser or ?backend=cpu.`,
        });
      }
    });
    const { engine } = client;
    current = engine;
    const { testHooks } = readUrlOptions(window.location.search);
    window.strata = { engine };
    if (testHooks) {
      window.strata.testHooks = {
        loseDevice: () => engine.loseDeviceForTest(),
        mainAnalysis: () => useStrata.getState().results.analysis.main,
        busyChannels: () => Object.keys(useStrata.getState().run.tasks),
      };
    }
    let cancelled = false;
    let disconnect = () => {};
    (async () => {
      try {
        const info = await engine.init({ backend: config.backend, testHooks });
        if (cancelled) return;
        setRun({ status: 'ready', backendInfo: info });
        await engine.watchBackend((change) => {
          if (!cancelled) onBackendEvent(useStrata, change, getExplorer());
        });
        const demo = await engine.demo(config.seed);
        if (cancelled) return;
        setResults({ demo });
        const explorer = connectExplorer(
          engine,
          useStrata,
          trainingFeed,
          indexedDbStore(),
          browserTabs(),
        );
        setExplorer(explorer);
        disconnect = () => {
          explorer.disconnect();
          setExplorer(null);
        };
      } catch (e) {
        if (!cancelled) setRun({ status: 'failed', error: errorMessage(e) });
      }
    })();
    return () => {
      cancelled = true;
      disconnect();
      client.terminate();
      if (current === engine) {
        current = null;
        delete window.strata;
      }
    };
  }, []);
}
