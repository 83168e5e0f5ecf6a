import { describe, expect, it } from 'vitest';
import type { NamedArray } from './dtypes';
import { readNpz } from './npz';
import { writeNpzStream } from './npzStream';

const LIMITS = { maxEntries: 100, maxTotalBytes: 1 << 30 };

function streamed(arrays: NamedArray[]): { bytes: Uint8Array; pieces: Uint8Array[] } {
  const pieces: Uint8Array[] = [];
  // Copies each piece as a file write would consume it before the next one.
  writeNpzStream(arrays, (piece) => pieces.push(piece.slice()));
  const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, pieces };
}

describe('writeNpzStream', () => {
  it('writes arrays that readNpz reads back exactly, in order', () => {
    const big = new Float32Array(1.5 * (1 << 20) + 5).map((_, i) => Math.sin(i)); // > 1 piece
    const arrays: NamedArray[] = [
      { name: 'hidden_0', dtype: 'float32', shape: [3, 1 << 19], data: big.subarray(0, 3 << 19) },
      { name: 'ids', dtype: 'int32', shape: [2, 2], data: Int32Array.of(1, -2, 3, 4) },
      { name: 'empty', dtype: 'float32', shape: [0, 4], data: new Float32Array(0) },
    ];
    const { bytes, pieces } = streamed(arrays);
    expect(pieces.length).toBeGreaterThan(3); // streamed, not one archive in memory
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(1 << 22);
    const back = readNpz(bytes, 'out.npz', LIMITS);
    expect(back.map((a) => [a.name, a.dtype, a.shape])).toEqual([
      ['hidden_0', 'float32', [3, 1 << 19]],
      ['ids', 'int32', [2, 2]],
      ['empty', 'float32', [0, 4]],
    ]);
    const first = back[0].data;
    const mismatch = big.subarray(0, 3 << 19).findIndex((v, i) => v !== first[i]);
    expect([first.length, mismatch]).toEqual([3 << 19, -1]);
    expect([...back[1].data]).toEqual([1, -2, 3, 4]);
  });

  it('refuses two arrays of one name, naming it', () => {
    const a: NamedArray = { name: 'x', dtype: 'float32', shape: [1], data: Float32Array.of(1) };
    expect(() => writeNpzStream([a, a], () => undefined)).toThrow(/two arrays are named "x"/);
  });
});
