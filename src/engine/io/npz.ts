import { zipSync, type Zippable } from 'fflate';
import type { NamedArray } from './dtypes';
import { FileFormatError } from './fileFormatError';
import { parseNpy, writeNpy } from './npy';
import { readZipEntries, type ZipLimits } from './zip';

/**
 * Reads an .npz archive as `np.savez` (stored entries) and `np.savez_compressed` (deflated) write
 * it: one `NAME.npy` per array, read into an array named NAME, in archive order (folder entries
 * are skipped). A stray entry that is not .npy, a truncated archive, a corrupt entry (bad deflate
 * data or CRC) or a malformed .npy inside throws a FileFormatError naming the file and the entry;
 * so does an archive whose arrays would inflate to more than `limits.maxTotalBytes` (refused
 * before inflating). Float32 arrays of stored entries may be views on `bytes` (see parseNpy).
 */
export function readNpz(bytes: Uint8Array, fileName: string, limits: ZipLimits): NamedArray[] {
  // Folder entries ("sub/", empty), which zip tools add for nested names, hold no array.
  // Stored entries are read in place: parseNpy then copies only data it must convert or align.
  const entries = readZipEntries(bytes, fileName, limits, { views: true }).filter(
    ({ name, data }) => !(name.endsWith('/') && data.length === 0),
  );
  return entries.map(({ name, data }) => {
    if (!name.endsWith('.npy')) {
      throw new FileFormatError(
        fileName,
        `entry "${name}" is not a .npy array; an .npz holds only NAME.npy entries, one per array`,
      );
    }
    return parseNpy(data, fileName, name.slice(0, -'.npy'.length), name);
  });
}

export interface NpzOptions {
  /** Deflate every entry, as `np.savez_compressed` does (default: stored, as `np.savez`). */
  compress?: boolean;
}

/** Entries get a fixed time stamp (local 1980-01-01 00:00, the zip epoch): same arrays, same bytes. */
const ZIP_EPOCH = new Date(1980, 0, 1);

/**
 * Writes arrays into an .npz archive that `np.load` reads: one `NAME.npy` entry per array, in the
 * given order. Names must be unique; arrays are checked as by writeNpy.
 */
export function writeNpz(
  arrays: readonly NamedArray[],
  options: NpzOptions = {},
): Uint8Array<ArrayBuffer> {
  const files: Zippable = {};
  let total = 0;
  for (const array of arrays) {
    const entry = `${array.name}.npy`;
    if (Object.prototype.hasOwnProperty.call(files, entry)) {
      throw new Error(`writeNpz: two arrays are named "${array.name}"; names must be unique`);
    }
    const npy = writeNpy(array);
    total += npy.length;
    files[entry] = [npy, { level: options.compress ? 6 : 0, mtime: ZIP_EPOCH }];
  }
  // fflate writes no Zip64 records, so entries and offsets must stay under 4 GiB.
  if (total >= 0xffffffff)
    throw new Error(`writeNpz: ${total} bytes of arrays exceed the 4 GiB a zip can hold`);
  return zipSync(files) as Uint8Array<ArrayBuffer>;
}
