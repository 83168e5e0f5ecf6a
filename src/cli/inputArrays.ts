// An input file of named arrays (.npy or .npz), as the commands that take --input read it.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { NamedArray } from '../engine/io/dtypes';
import { readNpy } from '../engine/io/npy';
import { readNpz } from '../engine/io/npz';
import { UsageError } from './errors';
import { CLI_ZIP_LIMITS } from './limits';

export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path); // a Buffer is a Uint8Array: the readers view it, not copy it
  } catch (e) {
    throw new UsageError(
      `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

export async function readInputArrays(path: string): Promise<NamedArray[]> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.npy' && ext !== '.npz') {
    throw new UsageError(`${path}: input format "${ext}" is not read, expected .npy or .npz`);
  }
  const bytes = await readBytes(path);
  return ext === '.npy'
    ? [readNpy(bytes, basename(path))]
    : readNpz(bytes, basename(path), CLI_ZIP_LIMITS);
}
