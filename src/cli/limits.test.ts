import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readNpz, writeNpz } from '../engine/io/npz';
import { crc32 } from '../engine/io/zip';
import { CLI_ZIP_LIMITS } from './limits';

describe('CLI_ZIP_LIMITS', () => {
  afterEach(() => vi.restoreAllMocks());

  it('checks archives with Node’s native CRC-32, which agrees with the JavaScript one', () => {
    const bytes = Uint8Array.from({ length: 1003 }, (_, i) => (i * 7919) % 256);
    expect(CLI_ZIP_LIMITS.crc32?.(bytes)).toBe(crc32(bytes));
    const native = vi.spyOn(zlib, 'crc32');
    const file = writeNpz([
      { name: 'layer_0', dtype: 'float32', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
    ]);
    const [array] = readNpz(file, 'w.npz', CLI_ZIP_LIMITS);
    expect(native).toHaveBeenCalledTimes(1);
    expect(Array.from(array.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('still refuses a corrupt entry, naming the file and the entry', () => {
    const file = writeNpz([
      { name: 'layer_0', dtype: 'float32', shape: [4], data: Float32Array.of(1, 2, 3, 4) },
    ]);
    // The last stored data byte, just before the central directory of a one-entry archive.
    const corrupt = file.slice();
    const at = corrupt.length - 22 - 46 - 'layer_0.npy'.length - 1;
    corrupt[at] ^= 0xff;
    expect(() => readNpz(corrupt, 'w.npz', CLI_ZIP_LIMITS)).toThrow(
      /w\.npz.*entry "layer_0\.npy": CRC-32 is 0x[0-9a-f]{8}, expected/,
    );
  });
});
