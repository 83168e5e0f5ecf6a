// The page's side of the engine: a module Web Worker wrapped by comlink. Only types come from
// src/engine here, so TensorFlow.js stays out of the main-thread bundle.
import * as Comlink from 'comlink';
import type { EngineApi } from '../engine/api';

export interface EngineClient {
  /** The engine's methods, each returning a promise across the worker boundary. */
  api: Comlink.Remote<EngineApi>;
  terminate(): void;
}

export function startEngineWorker(): EngineClient {
  const worker = new Worker(new URL('../engine/worker.ts', import.meta.url), {
    type: 'module',
    name: 'strata-engine',
  });
  return { api: Comlink.wrap<EngineApi>(worker), terminate: () => worker.terminate() };
}
