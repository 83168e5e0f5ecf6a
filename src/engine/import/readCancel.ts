// Cancelling a long read of a user's file. The page names each read with an id and may call
// cancelRead(id); the read loop checks its signal between chunks, stops, and drops what it read.

/** A read the user cancelled: not a failure, so the page says "cancelled" and shows no error. */
export class ReadCancelledError extends Error {
  override readonly name = 'ReadCancelledError';

  constructor(readonly fileName: string) {
    super(`${fileName}: reading cancelled`);
  }
}

/** Whether `e` (possibly rebuilt on the other side of the worker boundary) is a cancelled read. */
export function isReadCancelled(e: unknown): boolean {
  return e instanceof Error && e.name === 'ReadCancelledError';
}

/** Throws a ReadCancelledError naming `fileName` once `signal` is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, fileName: string): void {
  if (signal?.aborted) throw new ReadCancelledError(fileName);
}

/** The reads in flight that the page may cancel, by the id it gave them. */
export interface ReadCancels {
  /** The signal of read `id` (none without an id); `end(id)` when the read is over. */
  begin(id: string | undefined): AbortSignal | undefined;
  /** Stops read `id`; one not begun yet starts stopped; one that has ended is left alone. */
  cancel(id: string): void;
  end(id: string | undefined): void;
  /** How many controllers are kept (reads in flight and cancels that overtook their read). */
  held(): number;
}

/**
 * How many cancels of reads not begun, and ids of reads ended, are remembered: ids are never
 * reused, so without a bound each would stay for the page's life.
 */
const REMEMBERED = 64;

/** Forgets the oldest of `keys` past REMEMBERED (Sets and Maps keep insertion order). */
function bound(keys: Set<string> | Map<string, unknown>): void {
  for (const key of keys.keys()) {
    if (keys.size <= REMEMBERED) return;
    keys.delete(key);
  }
}

export function createReadCancels(): ReadCancels {
  const live = new Map<string, AbortController>();
  // A cancel can overtake its read (it is sent as the read is asked for): it waits here.
  const early = new Map<string, AbortController>();
  const ended = new Set<string>();
  return {
    begin(id) {
      if (id === undefined) return undefined;
      const controller = early.get(id) ?? new AbortController();
      early.delete(id);
      live.set(id, controller);
      return controller.signal;
    },
    cancel(id) {
      const running = live.get(id);
      if (running) return running.abort();
      if (ended.has(id) || early.has(id)) return;
      const controller = new AbortController();
      controller.abort();
      early.set(id, controller);
      bound(early);
    },
    end(id) {
      if (id === undefined) return;
      live.delete(id);
      early.delete(id);
      ended.add(id);
      bound(ended);
    },
    held: () => live.size + early.size,
  };
}
