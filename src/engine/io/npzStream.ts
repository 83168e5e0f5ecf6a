// An .npz written piece by piece: each array's .npy header and its data as views on the array's
// own buffer, through fflate's streaming zip, so that writing hidden states to disk holds no
// second copy of them (writeNpz builds the whole archive in memory: two more copies).
import { Zip, ZipPassThrough } from 'fflate';
import { checkNamedArray, type NamedArray } from './dtypes';
import { encodeElements } from './elements';
import { NPY_DESCR, npyHeaderBytes } from './npy';

/** Bytes per piece handed to the zip (and to `write`): bounded, whatever the array's size. */
const PIECE_BYTES = 1 << 22;

/**
 * Streams `arrays` as an .npz that `np.load` and readNpz read (stored entries, sizes and CRCs in
 * data descriptors and the central directory): `write` receives the archive's bytes in order and
 * must consume each piece before returning (it may be a view on an array's data). Names must be
 * unique; arrays are checked as by writeNpy.
 */
export function writeNpzStream(
  arrays: readonly NamedArray[],
  write: (piece: Uint8Array) => void,
): void {
  let failure: Error | null = null;
  const zip = new Zip((error, piece) => {
    if (error) failure = error;
    else write(piece);
  });
  const names = new Set<string>();
  let total = 0;
  for (const array of arrays) {
    if (names.has(array.name))
      throw new Error(`writeNpzStream: two arrays are named "${array.name}"; names must be unique`);
    names.add(array.name);
    const where = `writeNpzStream: array "${array.name}"`;
    checkNamedArray(array, where);
    const descr = NPY_DESCR[array.dtype];
    if (descr === undefined)
      throw new Error(`${where}: bfloat16 has no .npy dtype (numpy has none); write it as float32`);
    const head = npyHeaderBytes(descr, array.shape);
    const data = encodeElements(array); // a view for float32 and int32 on little-endian hosts
    total += head.length + data.length;
    // fflate writes no Zip64 records, so entries and offsets must stay under 4 GiB.
    if (total >= 0xffffffff)
      throw new Error(`writeNpzStream: ${total} bytes of arrays exceed the 4 GiB a zip can hold`);
    const entry = new ZipPassThrough(`${array.name}.npy`);
    entry.mtime = new Date(1980, 0, 1);
    zip.add(entry);
    entry.push(head, data.length === 0);
    for (let at = 0; at < data.length; at += PIECE_BYTES) {
      const end = Math.min(at + PIECE_BYTES, data.length);
      entry.push(data.subarray(at, end), end === data.length);
    }
    if (failure) throw failure;
  }
  zip.end();
  if (failure) throw failure;
}
