import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Raw contents of one split, as the loader returns them. */
export interface SplitContent {
  x: Uint8Array | Uint16Array;
  y: Uint8Array;
}

/** Everything a dataset's files hold, before compression. */
export interface DatasetContent {
  train: SplitContent;
  test: SplitContent;
  /** Text datasets: the bytes of tokenizer.json. */
  tokenizer?: Uint8Array;
}

/** The bytes of a typed array as stored on disk (uint16 little-endian). */
export function rawBytes(values: Uint8Array | Uint16Array): Uint8Array {
  if (values instanceof Uint8Array) return values;
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error('rawBytes: this machine is big-endian; the dataset files are little-endian');
  }
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * gzip at zlib's default level 6: level 9 takes ~20× longer on MNIST for 2% smaller files.
 * Node's gzip header carries no timestamp, so the output depends only on the input.
 */
export function gzip(bytes: Uint8Array, level = 6): Uint8Array {
  return gzipSync(bytes, { level });
}

/**
 * Writes through a temporary file and a rename, so a reader (or a second build running at the
 * same time, e.g. two test workers) never sees a half-written file.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
