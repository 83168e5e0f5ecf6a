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
  cancel(id: string): void;
  end(id: string | undefined): void;
}

export function createReadCancels(): ReadCancels {
  const reads = new Map<string, AbortController>();
  return {
    begin(id) {
      if (id === undefined) return undefined;
      // A cancel that overtook its read has already left an aborted controller here.
      const controller = reads.get(id) ?? new AbortController();
      reads.set(id, controller);
      return controller.signal;
    },
    cancel(id) {
      const controller = reads.get(id) ?? new AbortController();
      controller.abort();
      reads.set(id, controller);
    },
    end(id) {
      if (id !== undefined) reads.delete(id);
    },
  };
}
