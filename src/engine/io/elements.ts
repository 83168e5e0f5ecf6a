import { ITEM_SIZE, type DType, type DTypeData, type NamedArray } from './dtypes';

/** Every browser and Node platform is little-endian, but nothing here relies on it. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** IEEE 754 binary16 bits → number (exact; NaN payloads are not kept). */
export function halfToFloat(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  let value: number;
  if (exponent === 0) value = mantissa * 2 ** -24;
  else if (exponent === 31) value = mantissa ? NaN : Infinity;
  else value = (1 + mantissa / 1024) * 2 ** (exponent - 15);
  return bits & 0x8000 ? -value : value;
}

let halfValues: Float32Array | undefined;

/** All 65536 half values, built on first use (256 KB): decoding is then one lookup per element. */
function halfTable(): Float32Array {
  if (!halfValues) {
    halfValues = new Float32Array(0x10000);
    for (let h = 0; h < 0x10000; h++) halfValues[h] = halfToFloat(h);
  }
  return halfValues;
}

/**
 * number → binary16 bits, rounding the float32 value to nearest with ties to even (as numpy's
 * `astype(float16)` does); too large → ±Infinity, too small → ±0, NaN → a quiet NaN.
 */
export function floatToHalf(value: number): number {
  scratchF32[0] = value;
  const x = scratchU32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: m · 2^-24 with m = (1.mantissa · 2^23) >> (14 - e).
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa bumps the exponent, up to Infinity (0x7c00): that is correct.
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** number → bfloat16 bits: the float32 rounded to its upper 16 bits, ties to even. */
export function floatToBfloat16(value: number): number {
  scratchF32[0] = value;
  const x = scratchU32[0];
  if ((x & 0x7fffffff) > 0x7f800000) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

function swapBytes(bytes: Uint8Array, itemSize: number): void {
  for (let i = 0; i < bytes.length; i += itemSize) {
    for (let a = i, b = i + itemSize - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/**
 * The elements of `bytes` as float32 without copying them: a Float32Array view on the same memory
 * when they are float32 in the host's byte order and start at a multiple of 4 bytes; null when a
 * conversion or an aligned copy is needed (decodeElements makes it).
 */
export function float32View(
  bytes: Uint8Array,
  dtype: DType,
  littleEndian: boolean,
): Float32Array | null {
  if (dtype !== 'float32' || littleEndian !== HOST_LITTLE_ENDIAN || bytes.byteOffset % 4 !== 0)
    return null;
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

/**
 * Raw element bytes (exactly `count · itemSize` of them) → the typed array of `dtype`, always a
 * fresh copy that does not alias `bytes`. `fail` turns a message into the caller's error (an int64
 * outside the int32 range is the only value-level failure).
 */
export function decodeElements<D extends DType>(
  bytes: Uint8Array,
  dtype: D,
  littleEndian: boolean,
  fail: (detail: string) => Error,
): DTypeData[D] {
  const itemSize = ITEM_SIZE[dtype];
  const count = bytes.length / itemSize;
  // A copy into a fresh ArrayBuffer: aligned and owned by the result. Not bytes.slice(): on a
  // Node Buffer slice() is a view into the whole file's (or a shared pool's) memory.
  const copy = new Uint8Array(bytes);
  if (littleEndian !== HOST_LITTLE_ENDIAN && itemSize > 1) swapBytes(copy, itemSize);
  const buffer = copy.buffer;
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, 0, count) as DTypeData[D];
    case 'float64':
      return new Float64Array(buffer, 0, count) as DTypeData[D];
    case 'int32':
      return new Int32Array(buffer, 0, count) as DTypeData[D];
    case 'int16':
      return new Int16Array(buffer, 0, count) as DTypeData[D];
    case 'int8':
      return new Int8Array(buffer, 0, count) as DTypeData[D];
    case 'uint8':
      return copy as DTypeData[D];
    case 'bool':
      for (let i = 0; i < count; i++) if (copy[i] > 1) copy[i] = 1;
      return copy as DTypeData[D];
    case 'float16': {
      const halves = new Uint16Array(buffer, 0, count);
      const out = new Float32Array(count);
      const table = halfTable();
      for (let i = 0; i < count; i++) out[i] = table[halves[i]];
      return out as DTypeData[D];
    }
    case 'bfloat16': {
      const halves = new Uint16Array(buffer, 0, count);
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = halves[i] << 16;
      return out as DTypeData[D];
    }
    case 'int64': {
      const words = new Int32Array(buffer, 0, 2 * count);
      const [lowWord, highWord] = HOST_LITTLE_ENDIAN ? [0, 1] : [1, 0];
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const low = words[2 * i + lowWord];
        const high = words[2 * i + highWord];
        // In int32 range exactly when the high word is the sign extension of the low one.
        if (high !== low >> 31) {
          const value = (BigInt(high) << 32n) | BigInt(low >>> 0);
          throw fail(
            `int64 value ${value} at flat index ${i} is outside the int32 range ` +
              `[-2147483648, 2147483647], which is all int64 data can be read into`,
          );
        }
        out[i] = low;
      }
      return out as DTypeData[D];
    }
  }
  throw new Error(`decodeElements: unknown dtype ${String(dtype)}`);
}

/** Little-endian bytes of an array's elements (a view of `data` itself when no conversion is needed). */
export function encodeElements(array: NamedArray): Uint8Array {
  const { data } = array;
  const asBytes = (typed: ArrayBufferView) =>
    new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  switch (array.dtype) {
    case 'float16':
    case 'bfloat16': {
      const convert = array.dtype === 'float16' ? floatToHalf : floatToBfloat16;
      const out = new Uint16Array(data.length);
      for (let i = 0; i < data.length; i++) out[i] = convert(data[i]);
      return toLittleEndian(asBytes(out), 2);
    }
    case 'int64': {
      const out = new Int32Array(2 * data.length);
      const [lowWord, highWord] = HOST_LITTLE_ENDIAN ? [0, 1] : [1, 0];
      for (let i = 0; i < data.length; i++) {
        out[2 * i + lowWord] = data[i];
        out[2 * i + highWord] = data[i] < 0 ? -1 : 0;
      }
      return toLittleEndian(asBytes(out), 8);
    }
    case 'bool': {
      const out = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i++) out[i] = data[i] ? 1 : 0;
      return out;
    }
    default:
      return toLittleEndian(asBytes(data), ITEM_SIZE[array.dtype]);
  }
}

function toLittleEndian(bytes: Uint8Array, itemSize: number): Uint8Array {
  if (HOST_LITTLE_ENDIAN || itemSize === 1) return bytes;
  const copy = new Uint8Array(bytes); // a real copy, also for Node Buffers
  swapBytes(copy, itemSize);
  return copy;
}
