import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readFixture } from './fixtureFiles';
import { crc32, readZipEntries } from './zip';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('gives the check value of the CRC-32/ISO-HDLC catalogue', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('readZipEntries', () => {
  it('reads stored and deflated entries written by fflate, with non-ASCII names', () => {
    const files = { 'plain.txt': ascii('hello'), 'dir/é.bin': new Uint8Array(1000).fill(7) };
    for (const level of [0, 6] as const) {
      const entries = readZipEntries(zipSync(files, { level }), 'x.zip');
      expect(entries.map((e) => e.name)).toEqual(['plain.txt', 'dir/é.bin']);
      expect(entries[0].data).toEqual(files['plain.txt']);
      expect(entries[1].data).toEqual(files['dir/é.bin']);
    }
  });

  it('reads Zip64 end records and Zip64 sizes in the central directory (Python zipfile)', () => {
    const entries = readZipEntries(readFixture('zip64.npz'), 'zip64.npz');
    expect(entries.map((e) => [e.name, e.data.length])).toEqual([
      ['a.npy', 128 + 160],
      ['b.npy', 128 + 16],
    ]);
  });

  it('reads an empty archive as no entries', () => {
    expect(readZipEntries(zipSync({}), 'empty.zip')).toEqual([]);
  });

  it('refuses entry sizes deflate cannot produce before allocating them', () => {
    const bytes = zipSync({ 'a.bin': new Uint8Array(100) }, { level: 6 });
    const central = bytes.length - 22 - (46 + 5);
    new DataView(bytes.buffer).setUint32(central + 24, 0xfffffff0, true);
    expect(() => readZipEntries(bytes, 'bomb.zip')).toThrow(
      'bomb.zip: entry "a.bin": claims 4294967280 bytes inflated from',
    );
  });

  it('refuses encrypted entries and unknown compression methods', () => {
    const bytes = zipSync({ 'a.bin': new Uint8Array(4) }, { level: 0 });
    const central = bytes.length - 22 - (46 + 5);
    const encrypted = bytes.slice();
    encrypted[central + 8] |= 1;
    expect(() => readZipEntries(encrypted, 'e.zip')).toThrow('e.zip: entry "a.bin": is encrypted');
    const bzip2 = bytes.slice();
    bzip2[central + 10] = 12;
    expect(() => readZipEntries(bzip2, 'b.zip')).toThrow(
      'b.zip: entry "a.bin": compression method 12 is not supported, expected stored (0) or deflate (8)',
    );
  });

  it('refuses a central directory that points past the end record', () => {
    const bytes = zipSync({ 'a.bin': new Uint8Array(4) }, { level: 0 });
    new DataView(bytes.buffer).setUint32(bytes.length - 22 + 16, 10_000, true);
    expect(() => readZipEntries(bytes, 'c.zip')).toThrow(
      'c.zip: central directory (offset 10000, 51 bytes) overruns the end record',
    );
  });

  it('refuses a local header offset beyond the file', () => {
    const bytes = zipSync({ 'a.bin': new Uint8Array(4) }, { level: 0 });
    const central = bytes.length - 22 - (46 + 5);
    new DataView(bytes.buffer).setUint32(central + 42, 5000, true);
    expect(() => readZipEntries(bytes, 'l.zip')).toThrow(
      'l.zip: entry "a.bin": local header at offset 5000 (30 bytes) runs past the end of the file',
    );
  });
});
