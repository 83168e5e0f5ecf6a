// Random access to a file's bytes without holding the whole file: a Blob's slices in the page and
// the worker, a file handle in Node (src/cli/fileSource.ts), bytes already in memory in tests.
import { FileFormatError } from './fileFormatError';

/** A file read range by range; each `read` returns a fresh buffer the caller may keep. */
export interface ByteSource {
  /** The file as the user named it, for messages. */
  readonly name: string;
  readonly size: number;
  /** Bytes [begin, end) of the file. */
  read(begin: number, end: number): Promise<Uint8Array>;
}

/** Bytes already in memory (small checkpoints, tests). */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    read: async (begin, end) => bytes.subarray(begin, end),
  };
}

/** A Blob (a dropped File) read slice by slice: only the slice asked for is in memory. */
export function blobSource(blob: Blob, name: string): ByteSource {
  const size = blob.size;
  return {
    name,
    size,
    async read(begin, end) {
      const bytes = new Uint8Array(await blob.slice(begin, end).arrayBuffer());
      if (bytes.length !== end - begin)
        throw new FileFormatError(
          name,
          `read ${bytes.length} bytes at ${begin}, expected ${end - begin}: the file changed`,
        );
      return bytes;
    },
  };
}
