// Several tabs of one browser share one IndexedDB. They agree through Web Locks (a store-wide lock
// for every multi-step write, and a lock per live run, held by the tab that trains it until the run
// ends or the tab closes), sessionStorage (which run this tab was training before a reload) and a
// BroadcastChannel (a run finished in another tab). Browsers without them, and tests, get the same
// behaviour inside one page from `localTabs`, whose `LocalTabSpace` several simulated tabs can share.

/** What one tab needs to know of the others. */
export interface TabCoordination {
  /** Runs `job` while no other tab runs one: every multi-step change of the saved runs goes here. */
  exclusive<T>(job: () => Promise<T>): Promise<T>;
  /**
   * Claims run `id` for this tab until `release(id)` or the tab closes; false when another tab
   * holds it (it is training it, or offering to resume it). Claiming again from this tab is true.
   */
  claim(id: string): Promise<boolean>;
  release(id: string): void;
  /** The run this tab was training when it was last reloaded (survives a reload, not a new tab). */
  ownRun(): string | null;
  setOwnRun(id: string | null): void;
  /** Tells the other tabs that run `id` was saved finished. */
  announceFinished(id: string): void;
  /** Calls `listener` with each run another tab announces; returns the unsubscribe. */
  onFinished(listener: (id: string) => void): () => void;
  dispose(): void;
}

/** Locks, claims and announcements that several `localTabs` share (like one browser's). */
export interface LocalTabSpace {
  chain: Promise<unknown>;
  claims: Map<string, object>;
  listeners: Set<{ tab: object; listener: (id: string) => void }>;
}

export const localTabSpace = (): LocalTabSpace => ({
  chain: Promise.resolve(),
  claims: new Map(),
  listeners: new Set(),
});

/** One tab in `space`; `session` stands for its sessionStorage. */
export function localTabs(
  space: LocalTabSpace = localTabSpace(),
  session: Map<string, string> = new Map(),
): TabCoordination {
  const tab = {};
  const mine = new Set<{ tab: object; listener: (id: string) => void }>();
  return {
    exclusive<T>(job: () => Promise<T>) {
      const result = space.chain.then(job);
      space.chain = result.catch(() => undefined);
      return result;
    },
    async claim(id) {
      const holder = space.claims.get(id);
      if (holder && holder !== tab) return false;
      space.claims.set(id, tab);
      return true;
    },
    release(id) {
      if (space.claims.get(id) === tab) space.claims.delete(id);
    },
    ownRun: () => session.get(OWN_RUN_KEY) ?? null,
    setOwnRun(id) {
      if (id === null) session.delete(OWN_RUN_KEY);
      else session.set(OWN_RUN_KEY, id);
    },
    announceFinished(id) {
      for (const l of space.listeners) if (l.tab !== tab) l.listener(id);
    },
    onFinished(listener) {
      const entry = { tab, listener };
      space.listeners.add(entry);
      mine.add(entry);
      return () => void space.listeners.delete(entry);
    },
    dispose() {
      for (const [id, holder] of space.claims) if (holder === tab) space.claims.delete(id);
      for (const entry of mine) space.listeners.delete(entry);
    },
  };
}

const STORE_LOCK = 'strata-saved-runs';
const RUN_LOCK = 'strata-run:';
const CHANNEL = 'strata-runs';
const OWN_RUN_KEY = 'strata-own-run';

/** The page's coordination; falls back to `localTabs` where Web Locks are missing. */
export function browserTabs(): TabCoordination {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return localTabs();
  const held = new Map<string, () => void>();
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  const session = (): Storage | null => {
    try {
      return sessionStorage;
    } catch {
      return null;
    }
  };
  return {
    exclusive: async <T>(job: () => Promise<T>) => (await locks.request(STORE_LOCK, job)) as T,
    async claim(id) {
      if (held.has(id)) return true;
      return new Promise<boolean>((resolve) => {
        locks
          .request(RUN_LOCK + id, { ifAvailable: true }, (lock) => {
            if (!lock) return resolve(false);
            resolve(true);
            // The lock is held until this promise settles: on release(), or when the tab closes.
            return new Promise<void>((release) => held.set(id, release));
          })
          .catch(() => resolve(false));
      });
    },
    release(id) {
      held.get(id)?.();
      held.delete(id);
    },
    ownRun: () => session()?.getItem(OWN_RUN_KEY) ?? null,
    setOwnRun(id) {
      if (id === null) session()?.removeItem(OWN_RUN_KEY);
      else session()?.setItem(OWN_RUN_KEY, id);
    },
    announceFinished(id) {
      channel?.postMessage({ finished: id });
    },
    onFinished(listener) {
      const onMessage = (e: MessageEvent) => {
        const id = (e.data as { finished?: unknown } | null)?.finished;
        if (typeof id === 'string') listener(id);
      };
      channel?.addEventListener('message', onMessage);
      return () => channel?.removeEventListener('message', onMessage);
    },
    dispose() {
      for (const release of held.values()) release();
      held.clear();
      channel?.close();
    },
  };
}
