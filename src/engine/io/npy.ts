import {
  checkNamedArray,
  elementCount,
  ITEM_SIZE,
  type ArrayData,
  type DType,
  type NamedArray,
} from './dtypes';
import { decodeElements, encodeElements, float32View } from './elements';
import { FileFormatError } from './fileFormatError';
import { formatNpyHeader, parseNpyHeader } from './npyHeader';

/**
 * NumPy's .npy format (numpy/lib/format.py, NEP 1): the magic `\x93NUMPY`, a major and a minor
 * version byte, the header length (u16 little-endian in 1.0, u32 in 2.0 and 3.0), the header (a
 * Python dict literal; latin-1, or UTF-8 in 3.0) padded to a multiple of 64 bytes, then the data.
 */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const ALIGN = 64;

/** The dtypes .npy files can hold, by type code (`f4` in `<f4`); bfloat16 has none in numpy. */
const NPY_CODES: Readonly<Record<string, DType>> = {
  f4: 'float32',
  f8: 'float64',
  f2: 'float16',
  i4: 'int32',
  i8: 'int64',
  i2: 'int16',
  i1: 'int8',
  u1: 'uint8',
  b1: 'bool',
};
const SUPPORTED = '<f4, <f8, <f2, <i4, <i8, <i2, |i1, |u1, |b1 (or big-endian >f4 …)';

/** `(32, 32)`: shapes as numpy prints them, in .npy messages. */
function pythonShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function parseDescr(descr: string, fail: (detail: string) => Error) {
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  const dtype = m ? NPY_CODES[m[2] + m[3]] : undefined;
  if (!m || !dtype || (m[1] === '|' && ITEM_SIZE[dtype] > 1)) {
    throw fail(`dtype '${descr}' is not supported, expected one of ${SUPPORTED}`);
  }
  // '=' and no prefix mean the writer's native order; every numpy platform in use is little-endian.
  return { dtype, littleEndian: m[1] !== '>' };
}

/** Reorders column-major (Fortran) data into row-major (C) order, keeping every element's index. */
function fortranToC<T extends ArrayData>(data: T, shape: readonly number[]): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const rank = shape.length;
  const fortranStride: number[] = [];
  for (let k = 0, s = 1; k < rank; s *= shape[k], k++) fortranStride.push(s);
  const index = new Array<number>(rank).fill(0);
  let f = 0;
  for (let c = 0; c < data.length; c++) {
    out[c] = data[f];
    for (let k = rank - 1; k >= 0; k--) {
      index[k]++;
      f += fortranStride[k];
      if (index[k] < shape[k]) break;
      f -= fortranStride[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Where a .npy file's data lies and what it holds, read from its header alone. */
export interface NpyLayout {
  descr: string;
  dtype: DType;
  littleEndian: boolean;
  shape: number[];
  fortranOrder: boolean;
  /** Byte offset of the first element. */
  dataStart: number;
}

/**
 * The header of a .npy file: `bytes` needs to hold the file's start up to the end of its header
 * (the data may follow or not). `fail` makes the caller's error from a message.
 */
export function parseNpyLayout(bytes: Uint8Array, fail: (detail: string) => Error): NpyLayout {
  const head = bytes.subarray(0, MAGIC.length);
  if (!head.every((b, i) => b === MAGIC[i])) {
    const hex = [...head].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw fail(
      `not a .npy array: it starts with ${hex || 'nothing'}, expected the magic 93 4e 55 4d 50 59 ("\\x93NUMPY")`,
    );
  }
  if (bytes.length < 8) {
    throw fail(`${bytes.length} bytes, too short for a .npy header: the file is truncated`);
  }
  const [major, minor] = [bytes[6], bytes[7]];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw fail(`.npy format version ${major}.${minor} is not supported, expected 1.0, 2.0 or 3.0`);
  }
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) {
    throw fail(`${bytes.length} bytes, too short for a .npy header: the file is truncated`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = prefix + headerLength;
  if (dataStart > bytes.length) {
    throw fail(
      `header length ${headerLength} runs past the end of the file (${bytes.length} bytes): the file is truncated`,
    );
  }
  const headerBytes = bytes.subarray(prefix, dataStart);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
    } catch {
      throw fail('header is not valid UTF-8 (required by format version 3.0)');
    }
  } else text = latin1(headerBytes);

  const header = parseNpyHeader(text, fail);
  const { dtype, littleEndian } = parseDescr(header.descr, fail);
  return {
    descr: header.descr,
    dtype,
    littleEndian,
    shape: header.shape,
    fortranOrder: header.fortranOrder,
    dataStart,
  };
}

/** Bytes of data a layout needs after its header. */
export function npyDataBytes(layout: NpyLayout): number {
  return elementCount(layout.shape) * ITEM_SIZE[layout.dtype];
}

/** "12 bytes of data, expected 16 for <f4 (2, 2)": the size message of a .npy whose data is cut. */
export function npySizeProblem(layout: NpyLayout, dataBytes: number): string {
  return `${dataBytes} bytes of data, expected ${npyDataBytes(layout)} for ${layout.descr} ${pythonShape(layout.shape)}`;
}

/**
 * Parses one .npy payload. `entry` is set when it comes out of an .npz archive, so messages read
 * `acts.npz: entry "layer_3.npy": …`. Float32 data in C order and the host's byte order, starting
 * at a multiple of 4 bytes (numpy pads the header to 64), is a view on `bytes`, not a copy:
 * copy before mutating either.
 */
export function parseNpy(
  bytes: Uint8Array,
  fileName: string,
  name: string,
  entry?: string,
): NamedArray {
  const fail = (detail: string) =>
    new FileFormatError(fileName, entry === undefined ? detail : `entry "${entry}": ${detail}`);
  const layout = parseNpyLayout(bytes, fail);
  const { dtype, littleEndian, shape, dataStart } = layout;
  const dataBytes = bytes.length - dataStart;
  if (dataBytes !== npyDataBytes(layout)) throw fail(npySizeProblem(layout, dataBytes));
  const raw = bytes.subarray(dataStart);
  // Float32 data as written (the usual activations) is used in place: no copy of a large file.
  let data =
    float32View(raw, dtype, littleEndian) ?? decodeElements(raw, dtype, littleEndian, fail);
  if (layout.fortranOrder && shape.length > 1) data = fortranToC(data, shape);
  return { name, dtype, shape, data } as NamedArray;
}

/** The array name a file stands for: its base name without the extension (`dir/train.npy` → `train`). */
function baseName(fileName: string): string {
  return fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
}

/**
 * Reads a .npy file (format 1.0, 2.0 or 3.0) into a NamedArray named after the file.
 * Little- and big-endian data are both read. `fortran_order: True` arrays are reordered into C
 * order, so `data` is row-major and `shape` unchanged, as `np.load` presents them. Float32 data
 * may be a view on `bytes` (see parseNpy).
 * Throws a FileFormatError naming the file on anything malformed.
 */
export function readNpy(bytes: Uint8Array, fileName: string): NamedArray {
  return parseNpy(bytes, fileName, baseName(fileName));
}

/** `'<f4'`: the descr numpy writes for each dtype (none for bfloat16). */
export const NPY_DESCR: Readonly<Record<DType, string | undefined>> = {
  float32: '<f4',
  float64: '<f8',
  float16: '<f2',
  bfloat16: undefined,
  int32: '<i4',
  int64: '<i8',
  int16: '<i2',
  int8: '|i1',
  uint8: '|u1',
  bool: '|b1',
};

/**
 * Writes a .npy file byte for byte as `np.save` does for a C-order array: format 1.0 (2.0 when
 * the header outgrows 65535 bytes), the header padded with spaces and `\n` to 64 bytes, the data
 * little-endian. bfloat16 cannot be written (numpy has no such dtype): convert to float32 first.
 */
export function writeNpy(array: NamedArray): Uint8Array<ArrayBuffer> {
  const where = `writeNpy: array "${array.name}"`;
  checkNamedArray(array, where);
  const descr = NPY_DESCR[array.dtype];
  if (descr === undefined) {
    throw new Error(
      `${where}: bfloat16 has no .npy dtype (numpy has none); write it as float32 instead`,
    );
  }
  const head = npyHeaderBytes(descr, array.shape);
  const data = encodeElements(array);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

/**
 * The bytes of a .npy file before its data (magic, version, header padded to 64 bytes), for
 * `descr` and `shape`: what writeNpy writes, and what a writer streaming the data to disk needs.
 */
export function npyHeaderBytes(descr: string, shape: readonly number[]): Uint8Array<ArrayBuffer> {
  const header = formatNpyHeader(descr, shape);
  const withNewline = header.length + 1;
  let prefix = 10;
  let padding = ALIGN - ((prefix + withNewline) % ALIGN);
  if (withNewline + padding > 0xffff) {
    prefix = 12;
    padding = ALIGN - ((prefix + withNewline) % ALIGN);
  }
  const dataStart = prefix + withNewline + padding;
  const out = new Uint8Array(dataStart);
  out.set(MAGIC);
  out[6] = prefix === 10 ? 1 : 2;
  const view = new DataView(out.buffer);
  if (prefix === 10) view.setUint16(8, withNewline + padding, true);
  else view.setUint32(8, withNewline + padding, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.fill(0x20, prefix + header.length, dataStart - 1);
  out[dataStart - 1] = 0x0a;
  return out;
}
