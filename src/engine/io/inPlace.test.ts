import { describe, expect, it } from 'vitest';
import type { NamedArray } from './dtypes';
import { readNpy, writeNpy } from './npy';
import { readNpz, writeNpz } from './npz';

const LIMITS = { maxTotalBytes: 1024 ** 3 };
const values = new Float32Array([1.5, -2, 3.25, 4, -0.5, 6]);
const f32 = (name: string): NamedArray => ({
  name,
  dtype: 'float32',
  shape: [2, 3],
  data: values,
});

/** The bytes of `file` at byte `offset` of a larger buffer, as a slice of a read file would be. */
function placedAt(file: Uint8Array, offset: number): Uint8Array {
  const buffer = new Uint8Array(offset + file.length + 3);
  buffer.set(file, offset);
  return buffer.subarray(offset, offset + file.length);
}

describe('readNpy reads float32 data in place', () => {
  it('returns a view on the bytes it was given for an aligned float32 .npy', () => {
    const bytes = writeNpy(f32('acts'));
    const { data } = readNpy(bytes, 'acts.npy');
    expect(data).toBeInstanceOf(Float32Array);
    expect(data.buffer).toBe(bytes.buffer);
    expect(data.byteOffset).toBe(128); // numpy pads the header to 64 bytes
    expect([...data]).toEqual([...values]);
  });

  it('copies once, into aligned memory, data that starts off a 4-byte boundary', () => {
    const bytes = placedAt(writeNpy(f32('acts')), 1);
    const { data } = readNpy(bytes, 'acts.npy');
    expect(data.buffer).not.toBe(bytes.buffer);
    expect([...data]).toEqual([...values]);
  });

  it('converts what it must: float64 and big-endian float32 come back as fresh arrays', () => {
    const f64 = writeNpy({
      name: 'x',
      dtype: 'float64',
      shape: [2],
      data: new Float64Array([1, 2]),
    });
    expect(readNpy(f64, 'x.npy').data.buffer).not.toBe(f64.buffer);
    const big = writeNpy(f32('acts'));
    big[big.indexOf(0x3c, 10)] = 0x3e; // '<f4' → '>f4': same bytes, read swapped
    const swapped = readNpy(big, 'acts.npy').data;
    expect(swapped.buffer).not.toBe(big.buffer);
    expect(swapped[0]).not.toBe(values[0]);
  });
});

describe('readNpz reads float32 entries of a stored archive in place', () => {
  // fflate writes a 30-byte local header and the name: "ab.npy" puts the first entry's data at
  // 36 + 128, a multiple of 4; "a.npy" at 35 + 128, which is not.
  it('returns views on the archive for aligned stored entries and copies the others', () => {
    const archive = writeNpz([f32('ab')]);
    const [aligned] = readNpz(archive, 'acts.npz', LIMITS);
    expect(aligned.data.buffer).toBe(archive.buffer);
    expect([...aligned.data]).toEqual([...values]);

    const shifted = writeNpz([f32('a')]);
    const [copied] = readNpz(shifted, 'acts.npz', LIMITS);
    expect(copied.data.buffer).not.toBe(shifted.buffer);
    expect([...copied.data]).toEqual([...values]);
  });

  it('inflates deflated entries into memory of their own', () => {
    const archive = writeNpz([f32('ab')], { compress: true });
    const [array] = readNpz(archive, 'acts.npz', LIMITS);
    expect(array.data.buffer).not.toBe(archive.buffer);
    expect([...array.data]).toEqual([...values]);
  });
});
