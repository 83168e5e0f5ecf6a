// The few storage calls persistence needs, so the same code runs on IndexedDB in the page and on
// an in-memory store in tests (one that can be told to fail, like a full disk).
import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** The page's store: one IndexedDB database `strata`, object store `session`. */
export function indexedDbStore(dbName = 'strata', storeName = 'session'): KeyValueStore {
  let store: UseStore | null = null;
  // Opened on first use: a page without IndexedDB (some private modes) fails on the first call.
  const db = () => (store ??= createStore(dbName, storeName));
  return {
    get: (key) => get(key, db()),
    set: (key, value) => set(key, value, db()),
    del: (key) => del(key, db()),
    keys: async () => (await keys(db())).map(String),
  };
}

export interface MemoryStoreOptions {
  /** Make the n-th call of set() (1-based) and every one after it throw, as a full disk does. */
  failFromWrite?: number;
  /** The error thrown; a QuotaExceededError by default. */
  error?: () => Error;
}

/** An in-memory store (tests; and the fallback when the browser has no IndexedDB). */
export function memoryStore(options: MemoryStoreOptions = {}): KeyValueStore & {
  writes: number;
  data: Map<string, unknown>;
} {
  const data = new Map<string, unknown>();
  const quota = () => {
    const e = new Error('The quota has been exceeded.');
    e.name = 'QuotaExceededError';
    return e;
  };
  const api = {
    data,
    writes: 0,
    async get<T>(key: string) {
      return structuredClone(data.get(key)) as T | undefined;
    },
    async set(key: string, value: unknown) {
      api.writes += 1;
      if (options.failFromWrite !== undefined && api.writes >= options.failFromWrite)
        throw (options.error ?? quota)();
      data.set(key, structuredClone(value));
    },
    async del(key: string) {
      data.delete(key);
    },
    async keys() {
      return [...data.keys()];
    },
  };
  return api;
}
