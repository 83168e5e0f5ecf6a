// Test helper: a seeded generator of valid files in every format Strata reads, with the values
// they hold, and of damaged copies of them. Imported by the fuzz tests, never by the engine.
import seedrandom from 'seedrandom';
import type { DType } from './dtypes';
import { FileFormatError } from './fileFormatError';

export type Rng = () => number;

export const rngOf = (seed: string): Rng => seedrandom(seed);
export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, 0, items.length - 1)];

/** Values exactly representable in every dtype (so a round trip compares equal). */
export function valuesFor(rng: Rng, dtype: DType, count: number): number[] {
  return Array.from({ length: count }, () => {
    if (dtype === 'bool') return int(rng, 0, 1);
    if (dtype === 'uint8') return int(rng, 0, 255);
    if (dtype === 'int8') return int(rng, -128, 127);
    if (dtype === 'int16') return int(rng, -32768, 32767);
    if (dtype === 'int32' || dtype === 'int64') return int(rng, -(2 ** 31), 2 ** 31 - 1);
    return int(rng, -255, 255) / 8; // 8 significant bits: exact in bfloat16 too
  });
}

/** A shape of rank 0–3 with axes of 0–4 (zero-length axes included). */
export function shapeOf(rng: Rng): number[] {
  return Array.from({ length: int(rng, 0, 3) }, () => int(rng, 0, 4));
}

/** Element bytes of `values` as `dtype`, in either byte order. */
export function elementBytes(dtype: DType, values: number[], littleEndian: boolean): Uint8Array {
  const size =
    { float64: 8, int64: 8, float32: 4, int32: 4, float16: 2, bfloat16: 2, int16: 2 }[
      dtype as string
    ] ?? 1;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    const at = i * size;
    if (dtype === 'float64') view.setFloat64(at, v, littleEndian);
    else if (dtype === 'float32') view.setFloat32(at, v, littleEndian);
    else if (dtype === 'int64') view.setBigInt64(at, BigInt(v), littleEndian);
    else if (dtype === 'int32') view.setInt32(at, v, littleEndian);
    else if (dtype === 'int16') view.setInt16(at, v, littleEndian);
    else if (dtype === 'float16') view.setUint16(at, half(v), littleEndian);
    else if (dtype === 'bfloat16') {
      const f = new DataView(new ArrayBuffer(4));
      f.setFloat32(0, v);
      view.setUint16(at, f.getUint16(0), littleEndian);
    } else if (dtype === 'int8') view.setInt8(at, v);
    else view.setUint8(at, v);
  });
  return out;
}

/** float16 bits of a value from valuesFor (|v| < 32, a multiple of 1/8): exact. */
function half(v: number): number {
  if (v === 0) return Object.is(v, -0) ? 0x8000 : 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const e = Math.floor(Math.log2(a));
  const mantissa = Math.round((a / 2 ** e - 1) * 1024);
  return sign | ((e + 15) << 10) | mantissa;
}

/** Column-major order of row-major `values` of `shape` (how fortran_order arrays are stored). */
export function toFortran(values: number[], shape: number[]): number[] {
  if (shape.length < 2) return values;
  const out = new Array<number>(values.length);
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  values.forEach((v, c) => {
    let rest = c;
    let f = 0;
    let fStride = 1;
    const index = strides.map((s) => {
      const i = Math.floor(rest / s);
      rest %= s;
      return i;
    });
    index.forEach((i, k) => {
      f += i * fStride;
      fStride *= shape[k];
    });
    out[f] = v;
  });
  return out;
}

/** One random damage: a flipped byte, a cut, bytes inserted or removed, a span overwritten. */
export function mutate(rng: Rng, bytes: Uint8Array, hot = bytes.length): Uint8Array {
  const at = () => int(rng, 0, Math.max(0, Math.min(bytes.length, hot) - 1));
  const out = [...bytes];
  const kind = int(rng, 0, 5);
  if (kind === 0 && out.length) out[at()] = int(rng, 0, 255);
  else if (kind === 1) out.length = at();
  else if (kind === 2)
    out.splice(at(), 0, ...Array.from({ length: int(rng, 1, 9) }, () => int(rng, 0, 255)));
  else if (kind === 3) out.splice(at(), int(rng, 1, 9));
  else if (kind === 4) {
    const start = at();
    const chars = ' ,:(){}[]\'"0123456789-TrueFalse<>|\\\n\r\t';
    for (let i = 0; i < int(rng, 1, 6) && start + i < out.length; i++)
      out[start + i] = chars.charCodeAt(int(rng, 0, chars.length - 1));
  } else if (out.length) out[at()] ^= 1 << int(rng, 0, 7);
  return Uint8Array.from(out);
}

/** Errors a reader may throw for bad input: Strata's own, never TypeError, RangeError, …. */
const INPUT_ERRORS = new Set<string>(['Error', 'FileFormatError']);

/**
 * Runs `read` and checks the outcome: a result `check` accepts, or an error of Strata's (a
 * FileFormatError where `strict`) whose message names `file`. Returns the error, if any.
 */
export async function expectResultOrNamedError<T>(
  read: () => T | Promise<T>,
  file: string,
  check: (result: T) => void,
  strict = false,
): Promise<Error | undefined> {
  let result: T;
  try {
    result = await read();
  } catch (e) {
    const error = e as Error;
    const ok =
      error instanceof Error &&
      (strict ? error instanceof FileFormatError : INPUT_ERRORS.has(error.constructor.name)) &&
      error.message.includes(file);
    if (!ok)
      throw new Error(`${file}: threw ${error?.constructor?.name}: ${error?.message}`, {
        cause: e,
      });
    return error;
  }
  check(result);
  return undefined;
}
