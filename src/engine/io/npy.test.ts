import { describe, expect, it } from 'vitest';
import type { NamedArray } from './dtypes';
import { expectNamedErrorsWhenCut, itReportsEach } from './formatErrorChecks';
import { expectArrayEquals, expectedArrays, readFixture } from './fixtureFiles';
import { readNpy, writeNpy } from './npy';

const NPY_FIXTURES = [
  'float32.npy',
  'float64.npy',
  'float16.npy',
  'int32.npy',
  'int64.npy',
  'int16.npy',
  'int8.npy',
  'uint8.npy',
  'bool.npy',
  'scalar.npy',
  'empty.npy',
  'fortran.npy',
  'bigendian_f4.npy',
  'bigendian_i8.npy',
  'version2.npy',
  'version3.npy',
  'acts_3d.npy',
];

/** One array of every dtype .npy can hold, with edge values. */
const ROUND_TRIP: NamedArray[] = [
  {
    name: 'f32',
    dtype: 'float32',
    shape: [2, 2],
    data: new Float32Array([1.5, -0, NaN, -Infinity]),
  },
  { name: 'f64', dtype: 'float64', shape: [3], data: new Float64Array([Math.PI, -1e-300, 1e300]) },
  {
    name: 'f16',
    dtype: 'float16',
    shape: [4],
    data: new Float32Array([1, -(2 ** -24), 65504, Infinity]),
  },
  { name: 'i32', dtype: 'int32', shape: [1, 2], data: new Int32Array([-(2 ** 31), 2 ** 31 - 1]) },
  { name: 'i64', dtype: 'int64', shape: [3], data: new Int32Array([-(2 ** 31), -1, 2 ** 31 - 1]) },
  { name: 'i16', dtype: 'int16', shape: [2], data: new Int16Array([-32768, 32767]) },
  { name: 'i8', dtype: 'int8', shape: [2], data: new Int8Array([-128, 127]) },
  { name: 'u8', dtype: 'uint8', shape: [2, 1], data: new Uint8Array([0, 255]) },
  { name: 'b', dtype: 'bool', shape: [3], data: new Uint8Array([1, 0, 1]) },
  { name: 's', dtype: 'float32', shape: [], data: new Float32Array([7]) },
  { name: 'z', dtype: 'float32', shape: [0, 5], data: new Float32Array(0) },
];

describe('readNpy on files numpy wrote', () => {
  for (const file of NPY_FIXTURES) {
    it(`reads ${file} as numpy wrote it`, () => {
      expectArrayEquals(readNpy(readFixture(file), file), expectedArrays(file)[0]);
    });
  }

  it('names the array after the file, without directory or extension', () => {
    expect(readNpy(readFixture('int8.npy'), 'runs/a/layer_3.npy').name).toBe('layer_3');
  });

  it('refuses int64 values outside the int32 range, naming the index', () => {
    expect(() => readNpy(readFixture('int64_big.npy'), 'ids.npy')).toThrow(
      'ids.npy: int64 value 1099511627776 at flat index 2 is outside the int32 range',
    );
  });
});

describe('writeNpy', () => {
  for (const file of NPY_FIXTURES.filter((f) => !/bigendian|version|fortran/.test(f))) {
    it(`writes ${file} back byte for byte as np.save did`, () => {
      const bytes = readFixture(file);
      expect(writeNpy(readNpy(bytes, file))).toEqual(bytes);
    });
  }

  for (const array of ROUND_TRIP) {
    it(`round-trips ${array.dtype} ${JSON.stringify(array.shape)}`, () => {
      const back = readNpy(writeNpy(array), `${array.name}.npy`);
      expect(back).toEqual(array);
      expect(back.data.constructor).toBe(array.data.constructor);
    });
  }

  it('pads the header to 64 bytes and ends it with a newline', () => {
    const bytes = writeNpy(ROUND_TRIP[0]);
    const headerEnd = 10 + (bytes[8] | (bytes[9] << 8));
    expect(headerEnd % 64).toBe(0);
    expect(bytes[headerEnd - 1]).toBe(0x0a);
  });

  it('refuses bfloat16, which numpy cannot hold', () => {
    const a: NamedArray = { name: 'w', dtype: 'bfloat16', shape: [1], data: new Float32Array(1) };
    expect(() => writeNpy(a)).toThrow('writeNpy: array "w": bfloat16 has no .npy dtype');
  });

  it('refuses data that does not fit the shape or the dtype', () => {
    const short = {
      name: 'x',
      dtype: 'float32',
      shape: [2, 3],
      data: new Float32Array(5),
    } as NamedArray;
    expect(() => writeNpy(short)).toThrow(
      'writeNpy: array "x": shape [2, 3] holds 6 elements, data has 5',
    );
    const wrong = {
      name: 'y',
      dtype: 'float64',
      shape: [2],
      data: new Float32Array(2),
    } as unknown as NamedArray;
    expect(() => writeNpy(wrong)).toThrow(
      'writeNpy: array "y": float64 data must be a Float64Array, got Float32Array',
    );
    const negative = {
      name: 'z',
      dtype: 'int8',
      shape: [-1],
      data: new Int8Array(0),
    } as NamedArray;
    expect(() => writeNpy(negative)).toThrow('shape [-1] must be a list of non-negative integers');
  });
});

/** A valid header with the given dict text and data, as numpy would frame it. */
function npyWithHeader(dict: string, data: Uint8Array, version = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const text = dict + ' '.repeat(64 - ((prefix + dict.length + 1) % 64)) + '\n';
  const out = new Uint8Array(prefix + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i);
  out.set(data, prefix + text.length);
  return out;
}

describe('readNpy on malformed input', () => {
  const good = readFixture('float32.npy');
  const cases: [string, Uint8Array, string][] = [
    [
      'wrong magic',
      new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0]),
      'a.npy: not a .npy array: it starts with 50 4b 03 04 00 00, expected the magic',
    ],
    ['empty file', new Uint8Array(0), 'a.npy: 0 bytes, too short for a .npy header'],
    [
      'version 4.0',
      Uint8Array.from([...good.subarray(0, 6), 4, 0, ...good.subarray(8)]),
      'a.npy: .npy format version 4.0 is not supported, expected 1.0, 2.0 or 3.0',
    ],
    [
      'header past the end',
      good.subarray(0, 60),
      'a.npy: header length 118 runs past the end of the file (60 bytes): the file is truncated',
    ],
    [
      'data truncated',
      good.subarray(0, good.length - 4),
      'a.npy: 20 bytes of data, expected 24 for <f4 (2, 3)',
    ],
    [
      'data too long',
      Uint8Array.from([...good, 0, 0, 0, 0]),
      'a.npy: 28 bytes of data, expected 24 for <f4 (2, 3)',
    ],
    [
      'unsupported dtype',
      npyWithHeader("{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(4)),
      "a.npy: dtype '<u2' is not supported, expected one of <f4, <f8, <f2",
    ],
    [
      'structured dtype',
      npyWithHeader(
        "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
        new Uint8Array(8),
      ),
      'is a structured dtype, which is not supported',
    ],
    [
      'missing key',
      npyWithHeader("{'descr': '<f4', 'shape': (2,), }", new Uint8Array(8)),
      'a.npy: header keys are descr, shape, expected descr, fortran_order, shape',
    ],
    [
      'negative shape',
      npyWithHeader(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }",
        new Uint8Array(8),
      ),
      'a.npy: header shape [-2] must be a tuple of non-negative integers',
    ],
    [
      'not a literal',
      npyWithHeader(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': __import__('os')}",
        new Uint8Array(8),
      ),
      'a.npy: header is not a Python dict literal: found "__import__(\'" at character 61, expected a value',
    ],
    [
      'fortran_order not bool',
      npyWithHeader("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", new Uint8Array(8)),
      'a.npy: header fortran_order must be True or False',
    ],
  ];
  itReportsEach(cases, (bytes) => readNpy(bytes, 'a.npy'));

  it('reads the header variants numpy accepts: double quotes, Python 2 longs, no trailing comma', () => {
    const data = new Uint8Array(new Float32Array([1, 2]).buffer);
    const a = readNpy(
      npyWithHeader('{"shape": (1L, 2L), "fortran_order": False, "descr": "<f4"}', data),
      'x.npy',
    );
    expect(a).toEqual({
      name: 'x',
      dtype: 'float32',
      shape: [1, 2],
      data: new Float32Array([1, 2]),
    });
  });

  it('throws only FileFormatErrors naming the file, whatever byte the file is cut at', () => {
    for (const file of ['float32.npy', 'fortran.npy', 'version3.npy', 'bool.npy']) {
      const bytes = readFixture(file);
      expectNamedErrorsWhenCut(bytes, 'cut.npy', readNpy);
    }
  });
});
