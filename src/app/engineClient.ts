// The page's side of the engine: a module Web Worker wrapped by comlink. Only types come from
// src/engine here, so TensorFlow.js stays out of the main-thread bundle.
import * as Comlink from 'comlink';
import type { EngineApi } from '../engine/api';
import type { Engine } from './engineViews';
import { wrapEngine } from './wrapEngine';

export interface EngineClient {
  /** The engine's methods, each returning a promise across the worker boundary. */
  engine: Engine;
  terminate(): void;
}

/**
 * Starts the engine worker. `onFailure` hears of errors no call can report: the worker's script
 * failing to load or throwing outside a call, or a message that cannot be decoded.
 */
export function startEngineWorker(onFailure?: (message: string) => void): EngineClient {
  const worker = new Worker(new URL('../engine/worker.ts', import.meta.url), {
    type: 'module',
    name: 'strata-engine',
  });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    onFailure?.(`the engine worker failed: ${e.message || 'its script could not run'}`);
  });
  worker.addEventListener('messageerror', () =>
    onFailure?.('the engine worker sent a message the page could not read'),
  );
  return {
    engine: wrapEngine(Comlink.wrap<EngineApi>(worker)),
    terminate: () => worker.terminate(),
  };
}
