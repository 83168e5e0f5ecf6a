import { inflateBounded } from './boundedInflate';
import { FileFormatError } from './fileFormatError';
import { formatBytes } from './formatBytes';

/**
 * A strict reader of zip archives (PKWARE APPNOTE 6.3: end-of-central-directory record, Zip64
 * locator and record, central directory, local headers), with fflate doing the inflating.
 * fflate's own `unzipSync` reads past the end of truncated files and checks no CRC, so a damaged
 * archive could come back as silently wrong numbers; here every offset is bounds-checked and every
 * entry's CRC-32 is verified. Hostile archives are refused before they cost memory: the sizes the
 * directory claims are budgeted as a whole before anything is inflated, and an entry that inflates
 * past its claimed size is stopped there.
 */
export interface ZipEntry {
  name: string;
  data: Uint8Array<ArrayBuffer>;
}

/** What the caller can afford to hold. */
export interface ZipLimits {
  /** Most bytes all entries together may take once inflated (as the central directory says). */
  maxTotalBytes: number;
  /** The host's own CRC-32 where it has one (Node's zlib.crc32: native, ~20× the JavaScript one). */
  crc32?: (bytes: Uint8Array) => number;
}

const SIG = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  zip64End: 0x06064b50,
  zip64Locator: 0x07064b50,
};
/** Deflate cannot expand data by more than ~1032:1; a larger claimed size is corrupt (or a bomb). */
const MAX_INFLATE_RATIO = 1032;

let crcTables: Uint32Array[] | undefined;

/**
 * Tables of slicing-by-8: t[0] the byte-wise table, t[k][b] the CRC of byte b followed by k zero
 * bytes, so that eight bytes are folded in with eight lookups and no loop-carried shifts.
 */
function crcSlices(): Uint32Array[] {
  if (crcTables) return crcTables;
  const t = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) t[k][n] = (t[k - 1][n] >>> 8) ^ t[0][t[k - 1][n] & 0xff];
  }
  return (crcTables = t);
}

/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip stores it. Eight bytes a step
 * (slicing-by-8): every entry of an archive is checked, tens of MB for a file of activations.
 */
export function crc32(bytes: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = crcSlices();
  let crc = 0xffffffff;
  let i = 0;
  for (const end = bytes.length - 8; i <= end; i += 8) {
    const a = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc =
      t7[a & 0xff] ^
      t6[(a >>> 8) & 0xff] ^
      t5[(a >>> 16) & 0xff] ^
      t4[a >>> 24] ^
      t3[bytes[i + 4]] ^
      t2[bytes[i + 5]] ^
      t1[bytes[i + 6]] ^
      t0[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) crc = t0[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** Bounds-checked little-endian reads over the archive, with errors that name the file. */
function archiveReader(bytes: Uint8Array, fileName: string) {
  const fileSize = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (detail: string) => new FileFormatError(fileName, detail);
  return {
    bytes,
    fileSize,
    fail,
    /** Throws unless [offset, offset + length) lies inside the file. */
    need(offset: number, length: number, what: string) {
      if (offset < 0 || offset + length > fileSize) {
        throw fail(
          `${what} at offset ${offset} (${length} bytes) runs past the end of the file (${fileSize} bytes): the file is truncated or corrupt`,
        );
      }
    },
    u16: (o: number) => view.getUint16(o, true),
    u32: (o: number) => view.getUint32(o, true),
    /** A u64 that counts or points into the file, so it cannot exceed the file's size. */
    u64(o: number, what: string) {
      const value = view.getUint32(o, true) + view.getUint32(o + 4, true) * 2 ** 32;
      if (value > fileSize) throw fail(`${what} ${value} exceeds the file (${fileSize} bytes)`);
      return value;
    },
  };
}
type ArchiveReader = ReturnType<typeof archiveReader>;

interface CentralDirectory {
  count: number;
  offset: number;
  /** Where the end records start: the directory must end before. */
  limit: number;
}

interface CentralRecord {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

function checkZipMagic(r: ArchiveReader): void {
  const { bytes, fileSize, u32 } = r;
  if (fileSize >= 4 && (u32(0) === SIG.local || u32(0) === SIG.end)) return;
  const start = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const hint = bytes[0] === 0x93 && bytes[1] === 0x4e ? ' (this is a .npy file, not an .npz)' : '';
  throw r.fail(
    `not a zip archive: it starts with ${start || 'nothing'}, expected 50 4b 03 04 ("PK")${hint}`,
  );
}

/** Finds the end record (and the Zip64 one when present) and checks where the directory lies. */
function findCentralDirectory(r: ArchiveReader): CentralDirectory {
  const { fileSize, u16, u32 } = r;
  // The end record is the last 22 bytes plus a comment of its stated length.
  let end = -1;
  for (let e = fileSize - 22; e >= Math.max(0, fileSize - 22 - 0xffff); e--) {
    if (u32(e) === SIG.end && e + 22 + u16(e + 20) === fileSize) {
      end = e;
      break;
    }
  }
  if (end < 0) throw r.fail('no end-of-central-directory record: the zip archive is truncated');
  if (u16(end + 4) !== 0 || u16(end + 6) !== 0) {
    throw r.fail('multi-disk zip archives are not supported');
  }
  let [count, size, offset, limit] = [u16(end + 10), u32(end + 12), u32(end + 16), end];
  if (end >= 20 && u32(end - 20) === SIG.zip64Locator) {
    const zip64End = r.u64(end - 12, 'Zip64 end record offset');
    r.need(zip64End, 56, 'Zip64 end record');
    if (u32(zip64End) !== SIG.zip64End) throw r.fail(`no Zip64 end record at offset ${zip64End}`);
    count = r.u64(zip64End + 32, 'Zip64 entry count');
    size = r.u64(zip64End + 40, 'central directory size');
    offset = r.u64(zip64End + 48, 'central directory offset');
    limit = zip64End;
  }
  if (offset + size > limit) {
    throw r.fail(
      `central directory (offset ${offset}, ${size} bytes) overruns the end record at ${limit}: the archive is truncated or corrupt`,
    );
  }
  return { count, offset, limit };
}

function readCentralRecords(r: ArchiveReader, directory: CentralDirectory): CentralRecord[] {
  const { bytes, u16, u32 } = r;
  const names = new TextDecoder('utf-8');
  const records: CentralRecord[] = [];
  const seen = new Set<string>();
  let p = directory.offset;
  for (let i = 0; i < directory.count; i++) {
    r.need(p, 46, `central directory record ${i}`);
    if (u32(p) !== SIG.central || p + 46 > directory.limit) {
      throw r.fail(`central directory record ${i} at offset ${p} is missing or corrupt`);
    }
    const [nameLength, extraLength, commentLength] = [u16(p + 28), u16(p + 30), u16(p + 32)];
    r.need(p + 46, nameLength + extraLength + commentLength, `central directory record ${i}`);
    const record: CentralRecord = {
      name: names.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      flags: u16(p + 8),
      method: u16(p + 10),
      crc: u32(p + 16),
      compressedSize: u32(p + 20),
      uncompressedSize: u32(p + 24),
      localOffset: u32(p + 42),
    };
    // Zip64 extra field (id 1): 8-byte values for those fields that read 0xffffffff, in this order.
    const extraEnd = p + 46 + nameLength + extraLength;
    for (let x = p + 46 + nameLength; x + 4 <= extraEnd; x += 4 + u16(x + 2)) {
      if (u16(x) !== 1) continue;
      let field = x + 4;
      const next = (what: string) => {
        const where = `entry "${record.name}": Zip64 ${what}`;
        r.need(field, 8, where);
        field += 8;
        return r.u64(field - 8, where);
      };
      if (record.uncompressedSize === 0xffffffff) record.uncompressedSize = next('size');
      if (record.compressedSize === 0xffffffff) record.compressedSize = next('compressed size');
      if (record.localOffset === 0xffffffff) record.localOffset = next('offset');
    }
    if (seen.has(record.name)) {
      throw r.fail(`entry "${record.name}": appears twice in the archive`);
    }
    seen.add(record.name);
    records.push(record);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return records;
}

/** The entry's bytes, inflated if deflated, checked against its size and CRC-32. */
function extractEntry(
  r: ArchiveReader,
  record: CentralRecord,
  views: boolean,
  checksum: (bytes: Uint8Array) => number = crc32,
): Uint8Array<ArrayBuffer> {
  const { name, method, compressedSize, uncompressedSize, localOffset } = record;
  const fail = (detail: string) => r.fail(`entry "${name}": ${detail}`);
  if (record.flags & 1) throw fail('is encrypted, which is not supported');
  if (method !== 0 && method !== 8) {
    throw fail(`compression method ${method} is not supported, expected stored (0) or deflate (8)`);
  }
  r.need(localOffset, 30, `entry "${name}": local header`);
  if (r.u32(localOffset) !== SIG.local) throw fail(`no local header at offset ${localOffset}`);
  const dataStart = localOffset + 30 + r.u16(localOffset + 26) + r.u16(localOffset + 28);
  r.need(dataStart, compressedSize, `entry "${name}": data`);
  const stored = r.bytes.subarray(dataStart, dataStart + compressedSize);

  let data: Uint8Array<ArrayBuffer>;
  if (method === 0) {
    if (compressedSize !== uncompressedSize) {
      throw fail(
        `stored entry has ${compressedSize} bytes, but the directory says ${uncompressedSize}`,
      );
    }
    // A real copy (also for Node Buffers) unless the caller takes views on the archive's memory.
    data =
      views && stored.buffer instanceof ArrayBuffer
        ? (stored as Uint8Array<ArrayBuffer>)
        : new Uint8Array(stored);
  } else {
    if (uncompressedSize > compressedSize * MAX_INFLATE_RATIO + 1024) {
      throw fail(
        `claims ${uncompressedSize} bytes inflated from ${compressedSize}, more than deflate can produce: the archive is corrupt`,
      );
    }
    let result;
    try {
      result = inflateBounded(stored, uncompressedSize);
    } catch (e) {
      throw fail(`corrupt deflate data (${(e as Error).message})`);
    }
    if (!result.ok) {
      throw fail(
        `inflates to more than the ${uncompressedSize} bytes its header promises; inflating stopped there: the archive is corrupt or a zip bomb`,
      );
    }
    data = result.data;
    if (data.length !== uncompressedSize) {
      throw fail(
        `inflates to ${data.length} bytes, expected ${uncompressedSize}: the entry is corrupt`,
      );
    }
  }
  const actual = checksum(data);
  if (actual !== record.crc) {
    throw fail(`CRC-32 is ${hex(actual)}, expected ${hex(record.crc)}: the entry is corrupt`);
  }
  return data;
}

/** Throws unless the sizes the directory claims fit `limit` together (checked before inflating). */
function checkClaimedTotal(r: ArchiveReader, records: readonly CentralRecord[], limit: number) {
  const claimed = records.reduce((sum, record) => sum + record.uncompressedSize, 0);
  if (claimed > limit) {
    throw r.fail(
      `its ${records.length === 1 ? 'one entry claims' : `${records.length} entries claim`} ${formatBytes(claimed)} (${claimed} bytes) uncompressed in total, over the limit of ${formatBytes(limit)} (${limit} bytes) that can be held in memory here: nothing was inflated`,
    );
  }
}

/**
 * Reads every entry of a zip archive, decompressed and CRC-checked, in central-directory order.
 * Refuses, before inflating anything, an archive whose entries claim more than
 * `limits.maxTotalBytes` in total. Entries are fresh copies, except stored (uncompressed) ones
 * with `views`: those are views on `bytes`, which then must not change.
 */
export function readZipEntries(
  bytes: Uint8Array,
  fileName: string,
  limits: ZipLimits,
  { views = false }: { views?: boolean } = {},
): ZipEntry[] {
  const reader = archiveReader(bytes, fileName);
  checkZipMagic(reader);
  const records = readCentralRecords(reader, findCentralDirectory(reader));
  checkClaimedTotal(reader, records, limits.maxTotalBytes);
  return records.map((record) => ({
    name: record.name,
    data: extractEntry(reader, record, views, limits.crc32),
  }));
}
