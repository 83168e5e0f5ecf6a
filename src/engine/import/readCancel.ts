// Cancelling a long read of a user's file. The page names each read with a task id and may call
// cancelRead(id) (the same as abortTask, tasks.ts); the read loop checks its signal between
// chunks, stops, and drops what it read.
import { isTaskAborted } from '../tasks';

/** A read the user cancelled: not a failure, so the page says "cancelled" and shows no error. */
export class ReadCancelledError extends Error {
  override readonly name = 'ReadCancelledError';

  constructor(readonly fileName: string) {
    super(`${fileName}: reading cancelled`);
  }
}

/**
 * Whether `e` (possibly rebuilt on the other side of the worker boundary) is a cancelled read, or
 * its task stopped after the read (e.g. while the similarity of the read layers was computed).
 */
export function isReadCancelled(e: unknown): boolean {
  return isTaskAborted(e);
}

/** Throws a ReadCancelledError naming `fileName` once `signal` is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, fileName: string): void {
  if (signal?.aborted) throw new ReadCancelledError(fileName);
}
