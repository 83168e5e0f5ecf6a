// Reading a user's file in bounded chunks (Blob.stream()), so a 100 MB CSV never becomes one
// string or one buffer in the worker, and the limits every dataset import enforces.
import { ReadCancelledError } from './readCancel';

/** Limits of one dataset import; each error message says which was hit. */
export const DATASET_LIMITS = {
  /** Bytes of all files of one import together. */
  maxBytes: 512 * 1024 * 1024,
  /** Rows (samples) of one dataset. */
  maxRows: 100_000,
} as const;

const MB = 1024 * 1024;

/** Throws when the files together exceed the byte limit. */
export function checkImportSize(files: readonly { path: string; file: Blob }[]): void {
  const total = files.reduce((s, f) => s + f.file.size, 0);
  if (total > DATASET_LIMITS.maxBytes) {
    const biggest = [...files].sort((a, b) => b.file.size - a.file.size)[0];
    throw new Error(
      `${files.length === 1 ? biggest.path : `${files.length} files (largest ${biggest.path})`}: ${(total / MB).toFixed(0)} MB, expected at most ${DATASET_LIMITS.maxBytes / MB} MB per dataset`,
    );
  }
}

/** Throws when `rows` exceeds the row limit; `where` names the file. */
export function checkRowLimit(rows: number, where: string): void {
  if (rows > DATASET_LIMITS.maxRows) {
    throw new Error(
      `${where}: more than ${DATASET_LIMITS.maxRows.toLocaleString('en-US')} rows, expected at most ${DATASET_LIMITS.maxRows.toLocaleString('en-US')} per dataset (split the file or sample it)`,
    );
  }
}

/**
 * Calls `onChunk` with each chunk of `file` in order, and `onBytes(done, total)` after each.
 * Yields to the event loop between chunks, so progress messages get out while it reads, and a
 * cancel can arrive: once `signal` is aborted it stops with a ReadCancelledError naming `name`.
 */
export async function readChunks(
  file: Blob,
  onChunk: (chunk: Uint8Array) => void,
  options: {
    onBytes?: (done: number, total: number) => void;
    signal?: AbortSignal;
    name?: string;
  } = {},
): Promise<void> {
  const reader = file.stream().getReader();
  let done = 0;
  try {
    for (;;) {
      if (options.signal?.aborted) {
        await reader.cancel();
        throw new ReadCancelledError(options.name ?? 'file');
      }
      const next = await reader.read();
      if (next.done) break;
      onChunk(next.value);
      done += next.value.length;
      options.onBytes?.(done, file.size);
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The whole file as bytes (for binary formats that need random access: IDX, zip, Parquet), read
 * in chunks so that `signal` can stop it.
 */
export async function readAll(file: Blob, name: string, signal?: AbortSignal): Promise<Uint8Array> {
  const out = new Uint8Array(file.size);
  let at = 0;
  await readChunks(
    file,
    (chunk) => {
      if (at + chunk.length > out.length)
        throw new Error(`${name}: the file grew while it was read (beyond ${out.length} bytes)`);
      out.set(chunk, at);
      at += chunk.length;
    },
    { signal, name },
  );
  if (at !== out.length)
    throw new Error(`${name}: read ${at} bytes of ${out.length}: the file changed`);
  return out;
}
