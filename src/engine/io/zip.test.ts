import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readFixture } from './fixtureFiles';
import { crc32, readZipEntries } from './zip';
import { forgeCentralEntry } from './zipTesting';

const LIMITS = { maxTotalBytes: 1024 ** 3 };

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('gives the check value of the CRC-32/ISO-HDLC catalogue', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('agrees with the bit-by-bit definition for every length and offset up to 40 bytes', () => {
    const bitwise = (bytes: Uint8Array) => {
      let crc = 0xffffffff;
      for (const b of bytes) {
        crc ^= b;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
      }
      return (crc ^ 0xffffffff) >>> 0;
    };
    const data = Uint8Array.from({ length: 48 }, (_, i) => (i * 151 + 17) & 0xff);
    for (let start = 0; start < 8; start++) {
      for (let length = 0; length <= 40; length++) {
        const bytes = data.subarray(start, start + length);
        expect(crc32(bytes), `offset ${start}, ${length} bytes`).toBe(bitwise(bytes));
      }
    }
  });
});

describe('readZipEntries', () => {
  it('reads stored and deflated entries written by fflate, with non-ASCII names', () => {
    const files = { 'plain.txt': ascii('hello'), 'dir/é.bin': new Uint8Array(1000).fill(7) };
    for (const level of [0, 6] as const) {
      const entries = readZipEntries(zipSync(files, { level }), 'x.zip', LIMITS);
      expect(entries.map((e) => e.name)).toEqual(['plain.txt', 'dir/é.bin']);
      expect(entries[0].data).toEqual(files['plain.txt']);
      expect(entries[1].data).toEqual(files['dir/é.bin']);
    }
  });

  it('reads Zip64 end records and Zip64 sizes in the central directory (Python zipfile)', () => {
    const entries = readZipEntries(readFixture('zip64.npz'), 'zip64.npz', LIMITS);
    expect(entries.map((e) => [e.name, e.data.length])).toEqual([
      ['a.npy', 128 + 160],
      ['b.npy', 128 + 16],
    ]);
  });

  it('reads an empty archive as no entries', () => {
    expect(readZipEntries(zipSync({}), 'empty.zip', LIMITS)).toEqual([]);
  });

  it('refuses entry sizes deflate cannot produce before allocating them', () => {
    const bytes = zipSync({ 'a.bin': new Uint8Array(100) }, { level: 6 });
    const central = bytes.length - 22 - (46 + 5);
    new DataView(bytes.buffer).setUint32(central + 24, 0xfffffff0, true);
    expect(() => readZipEntries(bytes, 'bomb.zip', { maxTotalBytes: 2 ** 33 })).toThrow(
      'bomb.zip: entry "a.bin": claims 4294967280 bytes inflated from',
    );
  });

  it('refuses encrypted entries and unknown compression methods', () => {
    const bytes = zipSync({ 'a.bin': new Uint8Array(4) }, { level: 0 });
    const central = bytes.length - 22 - (46 + 5);
    const encrypted = bytes.slice();
    encrypted[central + 8] |= 1;
    expect(() => readZipEntries(encrypted, 'e.zip', LIMITS)).toThrow(
      'e.zip: entry "a.bin": is encrypted',
    );
    const bzip2 = bytes.slice();
    bzip2[central + 10] = 12;
    expect(() => readZipEntries(bzip2, 'b.zip', LIMITS)).toThrow(
      'b.zip: entry "a.bin": compression method 12 is not supported, expected stored (0) or deflate (8)',
    );
  });

  it('refuses a central directory that points past the end record', () => {
    const bytes = zipSync({ 'a.bin': new Uint8Array(4) }, { level: 0 });
    new DataView(bytes.buffer).setUint32(bytes.length - 22 + 16, 10_000, true);
    expect(() => readZipEntries(bytes, 'c.zip', LIMITS)).toThrow(
      'c.zip: central directory (offset 10000, 51 bytes) overruns the end record',
    );
  });

  it('refuses a local header offset beyond the file', () => {
    const bytes = zipSync({ 'a.bin': new Uint8Array(4) }, { level: 0 });
    const central = bytes.length - 22 - (46 + 5);
    new DataView(bytes.buffer).setUint32(central + 42, 5000, true);
    expect(() => readZipEntries(bytes, 'l.zip', LIMITS)).toThrow(
      'l.zip: entry "a.bin": local header at offset 5000 (30 bytes) runs past the end of the file',
    );
  });
});

describe('readZipEntries against hostile archives', () => {
  it('budgets the total the directory claims, before inflating anything', () => {
    // Four entries of 1 kB each claim 1 GiB: each alone is a plausible size, together 4 GiB.
    const files = Object.fromEntries(
      [0, 1, 2, 3].map((i) => [`layer_${i}.npy`, new Uint8Array(1024 * 1024).fill(i)]),
    );
    const bytes = zipSync(files, { level: 9 });
    for (let i = 0; i < 4; i++) forgeCentralEntry(bytes, i, { size: 1024 ** 3 });
    // Were anything inflated first, the first entry would fail on its size instead.
    expect(() => readZipEntries(bytes, 'bomb.npz', LIMITS)).toThrow(
      'bomb.npz: its 4 entries claim 4.00 GB (4294967296 bytes) uncompressed in total, over the limit of 1.00 GB (1073741824 bytes)',
    );
  });

  it('accepts a total equal to the limit and refuses one byte more', () => {
    const bytes = zipSync({ a: new Uint8Array(1000), b: new Uint8Array(1000) }, { level: 6 });
    expect(readZipEntries(bytes, 'ok.zip', { maxTotalBytes: 2000 })).toHaveLength(2);
    expect(() => readZipEntries(bytes, 'ok.zip', { maxTotalBytes: 1999 })).toThrow(
      'ok.zip: its 2 entries claim 2.0 kB (2000 bytes) uncompressed in total, over the limit of 2.0 kB (1999 bytes)',
    );
  });

  it('stops an entry that inflates past the size its header promises, even with a matching CRC', () => {
    // 4 MB of real data under a header that promises 1 MB, with the CRC of that first 1 MB: a
    // reader that inflates into a 1 MB buffer and drops the rest would accept it.
    const real = new Uint8Array(4 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
    const promised = 1024 * 1024;
    const bytes = zipSync({ 'a.bin': real }, { level: 6 });
    forgeCentralEntry(bytes, 0, { size: promised, crc: crc32(real.subarray(0, promised)) });
    expect(() => readZipEntries(bytes, 'liar.zip', LIMITS)).toThrow(
      'liar.zip: entry "a.bin": inflates to more than the 1048576 bytes its header promises; inflating stopped there',
    );
  });

  it('still reports an entry that inflates to fewer bytes than promised', () => {
    const bytes = zipSync({ 'a.bin': new Uint8Array(5000).fill(3) }, { level: 6 });
    forgeCentralEntry(bytes, 0, { size: 6000 });
    expect(() => readZipEntries(bytes, 'short.zip', LIMITS)).toThrow(
      'short.zip: entry "a.bin": inflates to 5000 bytes, expected 6000',
    );
  });
});
