// The .npz of `strata hidden-states` written as the engine's pieces arrive (HiddenStatesSink): each
// array's place in the file is fixed when its first piece comes (stored entries, sizes known from
// the shape), every piece is written there at once, and the CRCs, local headers and directory go
// in at the end. No array is ever held whole: the [N, T, V] logits of a language model included.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import type { HiddenStatesPiece } from '../../engine/apiTypes';
import { elementCount } from '../../engine/io/dtypes';
import { encodeElements } from '../../engine/io/elements';
import { NPY_DESCR, npyHeaderBytes } from '../../engine/io/npy';

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
/** 1980-01-01 in MS-DOS form (the zip epoch), as writeNpz dates its entries: same arrays, same bytes. */
const DOS_DATE = (1 << 5) | 1;

interface Entry {
  name: string;
  shape: number[];
  /** Where its local header starts; the .npy (header, then elements) follows the entry's name. */
  at: number;
  fileName: Uint8Array;
  npyHeader: Uint8Array;
  elements: number;
  /** Elements written so far (the next piece must start there), and their running CRC-32. */
  written: number;
  crc: number;
}

/** An .npz being written from pieces; `finish` completes it and moves it into place. */
export interface NpzPieceWriter {
  write(piece: HiddenStatesPiece): void;
  /** The arrays as written, in file order. */
  arrays(): { name: string; shape: number[] }[];
  /** Writes the directory, checks every array is whole, renames into `path`. */
  finish(): void;
  /** Removes the partial file (after a failure): `path` keeps what it had. */
  abort(): void;
}

/** Starts `path` as a temporary file beside it; errors name `path`, the array and the element. */
export function openNpzPieces(path: string): NpzPieceWriter {
  const target = resolve(path);
  const temp = `${target}.partial-${process.pid}`;
  mkdirSync(dirname(target), { recursive: true });
  const fd = openSync(temp, 'w');
  let open = true;
  const entries = new Map<string, Entry>();
  let end = 0;
  const put = (bytes: Uint8Array, position: number) => {
    for (let done = 0; done < bytes.length;)
      done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  };
  const dataStart = (e: Entry) => e.at + LOCAL_HEADER + e.fileName.length + e.npyHeader.length;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  const place = (piece: HiddenStatesPiece): Entry => {
    const fileName = new TextEncoder().encode(`${piece.name}.npy`);
    const npyHeader = npyHeaderBytes(NPY_DESCR.float32!, piece.shape);
    const elements = elementCount(piece.shape);
    const entry: Entry = {
      name: piece.name,
      shape: [...piece.shape],
      at: end,
      fileName,
      npyHeader,
      elements,
      written: 0,
      crc: crc32(npyHeader),
    };
    end = dataStart(entry) + 4 * elements;
    // No Zip64 records: offsets and sizes must stay under 4 GiB.
    if (end >= 0xffffffff)
      throw new Error(`${target}: ${end} bytes of arrays exceed the 4 GiB an .npz can hold here`);
    put(npyHeader, entry.at + LOCAL_HEADER + fileName.length);
    entries.set(piece.name, entry);
    return entry;
  };
  return {
    write(piece) {
      const entry = entries.get(piece.name) ?? place(piece);
      const where = `${target}: array ${piece.name}`;
      if (entry.shape.join(',') !== piece.shape.join(','))
        throw new Error(
          `${where}: a piece of shape [${piece.shape.join(', ')}], expected [${entry.shape.join(', ')}]`,
        );
      if (piece.offset !== entry.written || entry.written + piece.data.length > entry.elements)
        throw new Error(
          `${where}: a piece of ${piece.data.length} elements at ${piece.offset}, expected one at ${entry.written} within ${entry.elements}`,
        );
      const bytes = encodeElements({
        name: piece.name,
        dtype: 'float32',
        shape: [piece.data.length],
        data: piece.data,
      });
      put(bytes, dataStart(entry) + 4 * piece.offset);
      entry.crc = crc32(bytes, entry.crc);
      entry.written += piece.data.length;
    },
    arrays: () => [...entries.values()].map(({ name, shape }) => ({ name, shape })),
    finish() {
      const all = [...entries.values()];
      for (const e of all)
        if (e.written !== e.elements)
          throw new Error(
            `${target}: array ${e.name}: ${e.written} of ${e.elements} elements written`,
          );
      const directory: Uint8Array[] = [];
      for (const e of all) {
        const size = e.npyHeader.length + 4 * e.elements;
        const local = new Uint8Array(LOCAL_HEADER + e.fileName.length);
        const v = new DataView(local.buffer);
        v.setUint32(0, 0x04034b50, true);
        v.setUint16(4, 20, true); // version needed: 2.0
        v.setUint16(12, DOS_DATE, true);
        v.setUint32(14, e.crc >>> 0, true);
        v.setUint32(18, size, true);
        v.setUint32(22, size, true);
        v.setUint16(26, e.fileName.length, true);
        local.set(e.fileName, LOCAL_HEADER);
        put(local, e.at);
        const central = new Uint8Array(CENTRAL_HEADER + e.fileName.length);
        const c = new DataView(central.buffer);
        c.setUint32(0, 0x02014b50, true);
        c.setUint16(4, 20, true);
        c.setUint16(6, 20, true);
        c.setUint16(14, DOS_DATE, true);
        c.setUint32(16, e.crc >>> 0, true);
        c.setUint32(20, size, true);
        c.setUint32(24, size, true);
        c.setUint16(28, e.fileName.length, true);
        c.setUint32(42, e.at, true);
        central.set(e.fileName, CENTRAL_HEADER);
        directory.push(central);
      }
      const directorySize = directory.reduce((s, d) => s + d.length, 0);
      const record = new Uint8Array(END_RECORD);
      const r = new DataView(record.buffer);
      r.setUint32(0, 0x06054b50, true);
      r.setUint16(8, all.length, true);
      r.setUint16(10, all.length, true);
      r.setUint32(12, directorySize, true);
      r.setUint32(16, end, true);
      let at = end;
      for (const d of [...directory, record]) {
        put(d, at);
        at += d.length;
      }
      close();
      renameSync(temp, target);
    },
    abort() {
      close();
      rmSync(temp, { force: true });
    },
  };
}
