import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { NamedArray } from './dtypes';
import { FileFormatError } from './fileFormatError';
import { expectNamedErrorsWhenCut } from './formatErrorChecks';
import { expectArrayEquals, expectedArrays, readFixture } from './fixtureFiles';
import { writeNpy } from './npy';
import { npzBomb } from '../../../scripts/hostile/npzBomb';
import { readNpz, writeNpz } from './npz';

const LIMITS = { maxTotalBytes: 1024 ** 3 };

const ARRAYS: NamedArray[] = [
  {
    name: 'layer_0',
    dtype: 'float32',
    shape: [2, 3],
    data: new Float32Array([1, 2, 3, -4, 5.5, NaN]),
  },
  { name: 'f64', dtype: 'float64', shape: [2], data: new Float64Array([1e-310, -7]) },
  { name: 'half', dtype: 'float16', shape: [2], data: new Float32Array([0.5, -65504]) },
  { name: 'i32', dtype: 'int32', shape: [1], data: new Int32Array([-5]) },
  { name: 'i64', dtype: 'int64', shape: [2], data: new Int32Array([2 ** 31 - 1, -(2 ** 31)]) },
  { name: 'i16', dtype: 'int16', shape: [1], data: new Int16Array([-300]) },
  { name: 'i8', dtype: 'int8', shape: [1], data: new Int8Array([-3]) },
  { name: 'u8', dtype: 'uint8', shape: [1, 1], data: new Uint8Array([200]) },
  { name: 'mask', dtype: 'bool', shape: [3], data: new Uint8Array([0, 1, 1]) },
  { name: 'scalar', dtype: 'float32', shape: [], data: new Float32Array([3]) },
];

/** Offset of the first entry's data: after its 30-byte local header, name and extra field. */
function firstEntryData(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return 30 + view.getUint16(26, true) + view.getUint16(28, true);
}

describe('readNpz on archives numpy wrote', () => {
  for (const file of ['acts.npz', 'acts_compressed.npz', 'mixed.npz', 'zip64.npz']) {
    it(`reads ${file} (np.savez${file.includes('compressed') || file === 'mixed.npz' ? '_compressed' : ''})`, () => {
      const arrays = readNpz(readFixture(file), file, LIMITS);
      const want = expectedArrays(file);
      expect(arrays.map((a) => a.name)).toEqual(want.map((w) => w.name));
      arrays.forEach((a, i) => expectArrayEquals(a, want[i]));
    });
  }
});

describe('writeNpz', () => {
  for (const compress of [false, true]) {
    it(`round-trips every dtype (${compress ? 'deflated' : 'stored'})`, () => {
      const back = readNpz(writeNpz(ARRAYS, { compress }), 'rt.npz', LIMITS);
      expect(back).toEqual(ARRAYS);
    });
  }

  it('stores by default and deflates when asked, as np.savez and np.savez_compressed', () => {
    const big: NamedArray = {
      name: 'zeros',
      dtype: 'float32',
      shape: [64, 16],
      data: new Float32Array(1024),
    };
    const stored = writeNpz([big]);
    const deflated = writeNpz([big], { compress: true });
    expect(new DataView(stored.buffer).getUint16(8, true)).toBe(0);
    expect(new DataView(deflated.buffer).getUint16(8, true)).toBe(8);
    expect(deflated.length).toBeLessThan(stored.length / 10);
  });

  it('writes the same bytes for the same arrays', () => {
    expect(writeNpz(ARRAYS, { compress: true })).toEqual(writeNpz(ARRAYS, { compress: true }));
  });

  it('refuses two arrays with one name', () => {
    expect(() => writeNpz([ARRAYS[0], ARRAYS[0]])).toThrow(
      'writeNpz: two arrays are named "layer_0"',
    );
  });
});

describe('readNpz on malformed input', () => {
  const stored = readFixture('acts.npz');
  const compressed = readFixture('acts_compressed.npz');

  it('refuses a file that is not a zip, and says so when it is a .npy', () => {
    expect(() => readNpz(new Uint8Array([1, 2, 3, 4, 5]), 'a.npz', LIMITS)).toThrow(
      'a.npz: not a zip archive: it starts with 01 02 03 04, expected 50 4b 03 04 ("PK")',
    );
    expect(() => readNpz(readFixture('float32.npy'), 'b.npz', LIMITS)).toThrow(
      '(this is a .npy file, not an .npz)',
    );
    expect(() => readNpz(new Uint8Array(0), 'c.npz', LIMITS)).toThrow(
      'c.npz: not a zip archive: it starts with nothing',
    );
  });

  for (const keep of [4, 100, 600, stored.length - 23, stored.length - 1]) {
    it(`reports a truncated archive (first ${keep} bytes)`, () => {
      expect(() => readNpz(stored.subarray(0, keep), 'acts.npz', LIMITS)).toThrow(
        'acts.npz: no end-of-central-directory record: the zip archive is truncated',
      );
    });
  }

  it('refuses a stray entry that is not .npy', () => {
    const bytes = zipSync({
      'a.npy': writeNpy(ARRAYS[0]),
      'notes.txt': new Uint8Array([104, 105]),
    });
    expect(() => readNpz(bytes, 'x.npz', LIMITS)).toThrow(
      'x.npz: entry "notes.txt" is not a .npy array; an .npz holds only NAME.npy entries',
    );
  });

  it('names the entry whose deflate stream is corrupt', () => {
    const bytes = compressed.slice();
    bytes[firstEntryData(bytes)] = 0xff; // final block of the reserved type 3
    expect(() => readNpz(bytes, 'acts.npz', LIMITS)).toThrow(
      'acts.npz: entry "layer_10.npy": corrupt deflate data (invalid block type)',
    );
  });

  it('names the entry whose bytes fail the CRC check', () => {
    const bytes = stored.slice();
    bytes[firstEntryData(bytes) + 130] ^= 0x01; // a data byte of layer_10
    expect(() => readNpz(bytes, 'acts.npz', LIMITS)).toThrow(
      /^acts\.npz: entry "layer_10\.npy": CRC-32 is 0x[0-9a-f]{8}, expected 0x[0-9a-f]{8}: the entry is corrupt$/,
    );
  });

  it('names the entry holding a malformed .npy', () => {
    const npy = writeNpy(ARRAYS[0]);
    const bytes = zipSync({
      'ok.npy': writeNpy(ARRAYS[1]),
      'layer_0.npy': npy.subarray(0, npy.length - 4),
    });
    expect(() => readNpz(bytes, 'x.npz', LIMITS)).toThrow(
      'x.npz: entry "layer_0.npy": 20 bytes of data, expected 24 for <f4 (2, 3)',
    );
  });

  it('refuses an entry name that appears twice', () => {
    const bytes = zipSync(
      { 'a.npy': writeNpy(ARRAYS[3]), 'b.npy': writeNpy(ARRAYS[3]) },
      { level: 0 },
    );
    const lastName = bytes.length - 22 - 5; // the second central record's name, "b.npy"
    bytes[lastName] = 0x61;
    expect(() => readNpz(bytes, 'd.npz', LIMITS)).toThrow(
      'd.npz: entry "a.npy": appears twice in the archive',
    );
  });

  it('throws only FileFormatErrors naming the file, whatever byte the archive is cut at', () => {
    const files = [compressed, readFixture('zip64.npz'), writeNpz(ARRAYS.slice(0, 3))];
    for (const bytes of files) {
      expectNamedErrorsWhenCut(bytes, 'cut.npz', (b, file) => readNpz(b, file, LIMITS));
    }
  });

  it('reads or throws a FileFormatError, whatever single byte is damaged', () => {
    for (const bytes of [compressed, readFixture('zip64.npz')]) {
      for (let at = 0; at < bytes.length; at++) {
        const damaged = bytes.slice();
        damaged[at] ^= 0xa5;
        try {
          readNpz(damaged, 'd.npz', LIMITS);
        } catch (e) {
          expect(e).toBeInstanceOf(FileFormatError);
          expect((e as Error).message.startsWith('d.npz: ')).toBe(true);
        }
      }
    }
  });
});

describe('readNpz on archives that inflate beyond what may be held', () => {
  // The generator's deflate streams are real: 4 entries of 1 MiB zeros, 5 kB on disk.
  const MiB = 1024 * 1024;
  const bomb = npzBomb({ entries: 4, entryBytes: MiB });

  it('reads them when the caller can afford the total', () => {
    const arrays = readNpz(bomb, 'bomb.npz', { maxTotalBytes: 8 * MiB });
    expect(bomb.length).toBeLessThan(6_000);
    expect(arrays.map((a) => [a.name, a.shape])).toEqual(
      [0, 1, 2, 3].map((i) => [`layer_${i}`, [1024, 256]]),
    );
  });

  it('refuses them, naming the file, the claimed total and the limit, when it cannot', () => {
    const read = () => readNpz(bomb, 'bomb.npz', { maxTotalBytes: 2 * MiB });
    expect(read).toThrow(FileFormatError);
    expect(read).toThrow(
      'bomb.npz: its 4 entries claim 4.0 MB (4194816 bytes) uncompressed in total, over the limit of 2.0 MB (2097152 bytes)',
    );
  });
});
