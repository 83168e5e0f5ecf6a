// Reading a user's file inside the engine (the page hands over the File, the worker reads it), in
// chunks with progress, under an explicit size limit.
import { FileFormatError } from '../io/fileFormatError';
import { formatBytes } from '../io/formatBytes';
import { ReadCancelledError, throwIfCancelled } from './readCancel';

/**
 * Largest file the page reads, and the most an archive it reads (an .npz, an image zip, a session)
 * may inflate to: the whole of it is held in memory at once (1 GiB).
 */
export const MAX_IMPORT_BYTES = 1024 ** 3;

/**
 * All bytes of `blob`, read chunk by chunk; `onProgress(done, total)` at most once per percent
 * (each call crosses the worker boundary) and at the end. Throws a
 * FileFormatError naming `name` when the file is empty or over `limit` bytes, before reading;
 * a ReadCancelledError, dropping what was read, when `signal` is aborted (checked between chunks).
 */
export async function readBlobBytes(
  blob: Blob,
  name: string,
  options: {
    limit?: number;
    onProgress?: (done: number, total: number) => void;
    signal?: AbortSignal;
  } = {},
): Promise<Uint8Array> {
  const limit = options.limit ?? MAX_IMPORT_BYTES;
  const total = blob.size;
  if (total === 0) throw new FileFormatError(name, 'the file is empty');
  if (total > limit) {
    throw new FileFormatError(
      name,
      `the file is ${formatBytes(total)}, over the limit of ${formatBytes(limit)} the page reads`,
    );
  }
  throwIfCancelled(options.signal, name);
  const out = new Uint8Array(total);
  const reader = blob.stream().getReader();
  let done = 0;
  let reported = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    if (options.signal?.aborted) {
      await reader.cancel();
      throw new ReadCancelledError(name);
    }
    if (done + chunk.value.length > total) {
      await reader.cancel();
      throw new FileFormatError(name, `the file grew while it was read (beyond ${total} bytes)`);
    }
    out.set(chunk.value, done);
    done += chunk.value.length;
    if (done - reported >= total / 100 || done === total) {
      reported = done;
      options.onProgress?.(done, total);
    }
  }
  if (done !== total)
    throw new FileFormatError(name, `read ${done} bytes of ${total}: the file changed`);
  return out;
}
