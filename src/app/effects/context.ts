import type { ExplorerEngine } from '../engineViews';
import type { StrataStore } from '../store';
import type { EngineQueue } from './engineQueue';

/** What every effect works with: the engine, the store, and the queue for heavy calls. */
export interface EffectContext {
  engine: ExplorerEngine;
  store: StrataStore;
  queue: EngineQueue;
}

/** Queue priorities: lower runs sooner. */
export const PRIORITY = {
  dataset: 0,
  main: 1,
  training: 2,
  compare: 3,
  exits: 4,
  agreement: 5,
} as const;
