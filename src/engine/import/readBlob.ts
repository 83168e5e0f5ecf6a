// Reading a user's file inside the engine (the page hands over the File, the worker reads it), in
// chunks with progress, under an explicit size limit.
import { FileFormatError } from '../io/fileFormatError';

/** Largest file the page reads: the whole file is held in memory at once (1 GiB). */
export const MAX_IMPORT_BYTES = 1024 ** 3;

/** "1.5 GB", "12.0 MB", "980 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}

/**
 * All bytes of `blob`, read chunk by chunk; `onProgress(done, total)` at most once per percent
 * (each call crosses the worker boundary) and at the end. Throws a
 * FileFormatError naming `name` when the file is empty or over `limit` bytes, before reading.
 */
export async function readBlobBytes(
  blob: Blob,
  name: string,
  options: { limit?: number; onProgress?: (done: number, total: number) => void } = {},
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
  const out = new Uint8Array(total);
  const reader = blob.stream().getReader();
  let done = 0;
  let reported = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
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
