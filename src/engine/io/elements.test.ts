import { describe, expect, it } from 'vitest';
import {
  decodeElements,
  encodeElements,
  floatToBfloat16,
  floatToHalf,
  halfToFloat,
} from './elements';
import { expectedEntry } from './fixtureFiles';

const fail = (detail: string) => new Error(`x: ${detail}`);
const bits32 = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0];

describe('float16', () => {
  it('decodes the landmarks of binary16', () => {
    expect(
      [0x0000, 0x8000, 0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x0400, 0x7c00, 0xfc00].map(
        halfToFloat,
      ),
    ).toEqual([0, -0, 1, -2, 65504, 2 ** -24, 1023 * 2 ** -24, 2 ** -14, Infinity, -Infinity]);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('encodes every half value back to its own bits (all 65536 patterns)', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const v = halfToFloat(h);
      const ok = Number.isNaN(v) ? Number.isNaN(halfToFloat(floatToHalf(v))) : floatToHalf(v) === h;
      if (!ok) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds midpoints between neighbouring halves to the even one', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 0x7bff; h++) {
      const mid = (halfToFloat(h) + halfToFloat(h + 1)) / 2; // exact in float32
      if (floatToHalf(mid) !== (h % 2 === 0 ? h : h + 1)) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it("matches numpy's astype(float16) on random and edge float32 values", () => {
    const ref = expectedEntry<{ float32: number[]; float16_bits: number[] }>('float16_rounding');
    expect(ref.float32.map(floatToHalf)).toEqual(ref.float16_bits);
  });
});

describe('bfloat16', () => {
  it('encodes every bfloat16 value back to its own bits (all 65536 patterns)', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    const wrong: number[] = [];
    for (let b = 0; b < 0x10000; b++) {
      u[0] = b << 16;
      const back = floatToBfloat16(f[0]);
      const ok = Number.isNaN(f[0])
        ? (back & 0x7f80) === 0x7f80 && (back & 0x7f) !== 0
        : back === b;
      if (!ok) wrong.push(b);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds to nearest, ties to even, overflowing to Infinity', () => {
    expect(floatToBfloat16(1 + 2 ** -8)).toBe(0x3f80); // tie → even (1)
    expect(floatToBfloat16(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie → even (1 + 2^-6)
    expect(floatToBfloat16(1 + 2 ** -8 + 2 ** -20)).toBe(0x3f81); // above the tie
    expect(floatToBfloat16(3.4e38)).toBe(0x7f80); // rounds past the largest bfloat16
    expect(bits32(-0) >>> 16).toBe(floatToBfloat16(-0));
  });
});

describe('decodeElements / encodeElements', () => {
  it('reads big-endian data by swapping bytes', () => {
    const be = new Uint8Array([0x3f, 0xc0, 0, 0, 0xc0, 0, 0, 0]); // 1.5, -2 as >f4
    expect(Array.from(decodeElements(be, 'float32', false, fail))).toEqual([1.5, -2]);
  });

  it('reads int64 within the int32 range and refuses the rest, naming the index', () => {
    const ok = new Uint8Array(new BigInt64Array([-(2n ** 31n), 2n ** 31n - 1n, -1n]).buffer);
    expect(Array.from(decodeElements(ok, 'int64', true, fail))).toEqual([
      -(2 ** 31),
      2 ** 31 - 1,
      -1,
    ]);
    const big = new Uint8Array(new BigInt64Array([0n, -(2n ** 31n) - 1n]).buffer);
    expect(() => decodeElements(big, 'int64', true, fail)).toThrow(
      'x: int64 value -2147483649 at flat index 1 is outside the int32 range',
    );
  });

  it('reads any non-zero bool byte as 1 and writes 0/1', () => {
    expect(Array.from(decodeElements(new Uint8Array([0, 1, 2, 255]), 'bool', true, fail))).toEqual([
      0, 1, 1, 1,
    ]);
    expect(
      Array.from(
        encodeElements({ name: 'b', dtype: 'bool', shape: [2], data: new Uint8Array([0, 9]) }),
      ),
    ).toEqual([0, 1]);
  });

  it('returns arrays that do not alias the input bytes', () => {
    const bytes = new Uint8Array(new Float32Array([1, 2]).buffer);
    const data = decodeElements(bytes, 'float32', true, fail);
    bytes.fill(0);
    expect(Array.from(data)).toEqual([1, 2]);
  });

  it('decodes unaligned data', () => {
    const bytes = new Uint8Array(9);
    bytes.set(new Uint8Array(new Float64Array([0.1]).buffer), 1);
    expect(Array.from(decodeElements(bytes.subarray(1), 'float64', true, fail))).toEqual([0.1]);
  });

  it('writes int64 as the sign-extended little-endian value', () => {
    const bytes = encodeElements({
      name: 'l',
      dtype: 'int64',
      shape: [2],
      data: new Int32Array([-2, 5]),
    });
    expect(Array.from(new BigInt64Array(bytes.slice().buffer))).toEqual([-2n, 5n]);
  });
});
