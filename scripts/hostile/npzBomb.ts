// Hostile archives for tests and measurements, made on the fly (never committed as binaries).
// `npzBomb` is an .npz whose entries are honest deflate streams of zeros: a few MB on disk that
// really inflate to gigabytes, each entry within deflate's real ~1032:1 ratio, so only a budget
// on the archive's total uncompressed size stops it.
import { crc32, deflateRawSync, constants } from 'node:zlib';

const MiB = 1024 * 1024;
/** Row width of each array: float32 × 256 = 1 kB per row. */
const WIDTH = 256;

/** A .npy v1.0 header for float32 [rows, WIDTH], padded to 64 bytes as numpy does. */
function npyHeader(rows: number): Buffer {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${WIDTH}), }`;
  const length = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const header = Buffer.alloc(10 + length, 0x20);
  header.write('\x93NUMPY', 0, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(length, 8);
  header.write(dict, 10, 'latin1');
  header[10 + length - 1] = 0x0a;
  return header;
}

/** A self-contained, non-final deflate block sequence (ends with a sync flush). */
const syncBlock = (bytes: Buffer) =>
  deflateRawSync(bytes, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });

/** A raw deflate stream of `header` then `zeros` zero bytes, built from repeated 1 MiB blocks. */
function deflatedZeros(header: Buffer, zeros: number): { stream: Buffer; crc: number } {
  const parts = [syncBlock(header)];
  const mib = syncBlock(Buffer.alloc(MiB));
  for (let left = zeros; left > 0; left -= MiB) {
    parts.push(left >= MiB ? mib : syncBlock(Buffer.alloc(left)));
  }
  parts.push(Buffer.from([0x03, 0x00])); // a final, empty fixed-Huffman block
  let crc = crc32(header);
  const chunk = Buffer.alloc(16 * MiB);
  for (let left = zeros; left > 0; left -= chunk.length) {
    crc = crc32(left >= chunk.length ? chunk : chunk.subarray(0, left), crc);
  }
  return { stream: Buffer.concat(parts), crc };
}

export interface NpzBombOptions {
  /** How many arrays (default 4). */
  entries?: number;
  /** Data bytes of each array once inflated, a multiple of 1 kB (default 1 GiB). */
  entryBytes?: number;
}

/**
 * An .npz of `entries` float32 arrays `layer_i` [entryBytes / 1 kB, 256] of zeros, deflated:
 * with the defaults, a ~4 MB file whose four entries inflate to 1 GiB each (4 GiB in all).
 */
export function npzBomb({ entries = 4, entryBytes = 1024 ** 3 }: NpzBombOptions = {}): Buffer {
  const header = npyHeader(entryBytes / (4 * WIDTH));
  const { stream, crc } = deflatedZeros(header, entryBytes);
  const size = header.length + entryBytes;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < entries; i++) {
    const name = Buffer.from(`layer_${i}.npy`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stream.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stream.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stream);
    centrals.push(central, name);
    offset += local.length + name.length + stream.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
