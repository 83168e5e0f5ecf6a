import { describe, expect, it } from 'vitest';
import type { NamedArray } from './dtypes';
import { FileFormatError } from './fileFormatError';
import { expectNamedErrorsWhenCut, itReportsEach } from './formatErrorChecks';
import { expectArrayEquals, expectedArrays, expectedEntry, readFixture } from './fixtureFiles';
import { readSafetensors, writeSafetensors } from './safetensors';

const TENSORS: NamedArray[] = [
  { name: 'w', dtype: 'float32', shape: [2, 2], data: new Float32Array([1.5, -0, NaN, -Infinity]) },
  { name: 'd', dtype: 'float64', shape: [1], data: new Float64Array([Math.E]) },
  { name: 'h', dtype: 'float16', shape: [3], data: new Float32Array([2 ** -24, -65504, NaN]) },
  { name: 'bf', dtype: 'bfloat16', shape: [3], data: new Float32Array([1, -2.5, 1.5 * 2 ** 100]) },
  { name: 'i', dtype: 'int32', shape: [], data: new Int32Array([-9]) },
  { name: 'l', dtype: 'int64', shape: [2], data: new Int32Array([-(2 ** 31), 2 ** 31 - 1]) },
  { name: 's', dtype: 'int16', shape: [1], data: new Int16Array([-2]) },
  { name: 'c', dtype: 'int8', shape: [1], data: new Int8Array([100]) },
  { name: 'u', dtype: 'uint8', shape: [0, 4], data: new Uint8Array(0) },
  { name: 'm', dtype: 'bool', shape: [2], data: new Uint8Array([1, 0]) },
];

/** A safetensors file from a header (object or raw text) and a data section. */
function file(header: unknown, data: Uint8Array | number = 0): Uint8Array {
  const text = new TextEncoder().encode(
    typeof header === 'string' ? header : JSON.stringify(header),
  );
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + text.length + body.length);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, 8);
  out.set(body, 8 + text.length);
  return out;
}

const f32 = (shape: number[], begin: number, end: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, end],
});

describe('readSafetensors on the file written by make_fixtures.py', () => {
  const bytes = readFixture('model.safetensors');
  const { tensors, metadata } = readSafetensors(bytes, 'model.safetensors');

  it('reads every dtype as written', () => {
    const want = expectedArrays('model.safetensors');
    expect(tensors.map((t) => t.name).sort()).toEqual(want.map((w) => w.name).sort());
    for (const w of want)
      expectArrayEquals(tensors.find((t) => t.name === w.name) as NamedArray, w);
  });

  it('reads the metadata', () => {
    expect(metadata).toEqual(expectedEntry('model.safetensors.metadata'));
  });

  it('writes the file back byte for byte (the reference layout)', () => {
    expect(writeSafetensors(tensors, metadata)).toEqual(bytes);
  });
});

describe('writeSafetensors', () => {
  it('round-trips every dtype', () => {
    const back = readSafetensors(writeSafetensors(TENSORS, { a: 'b' }), 'rt.safetensors');
    expect(back.metadata).toEqual({ a: 'b' });
    const byName = new Map(back.tensors.map((t) => [t.name, t]));
    for (const t of TENSORS) expect(byName.get(t.name)).toEqual(t);
  });

  it('orders by dtype as the reference does, then by name, and pads the header to 8 bytes', () => {
    const bytes = writeSafetensors(TENSORS);
    const length = new DataView(bytes.buffer).getUint32(0, true);
    expect(length % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(text).toMatch(/^\{"l":\{"dtype":"I64","shape":\[2\],"data_offsets":\[0,16\]\},"d":/);
    expect(text.trimEnd().length).toBeGreaterThan(length - 8);
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    const order = readSafetensors(bytes, 'x').tensors.map((t) => t.name);
    expect(order).toEqual(['l', 'd', 'w', 'i', 'bf', 'h', 's', 'c', 'u', 'm']);
  });

  it('keeps name order for names that look like integers', () => {
    const t = (name: string): NamedArray => ({
      name,
      dtype: 'int8',
      shape: [1],
      data: new Int8Array([1]),
    });
    const bytes = writeSafetensors([t('b'), t('2'), t('10')]);
    expect(new TextDecoder().decode(bytes.subarray(8, 20))).toBe('{"10":{"dtyp');
    expect(readSafetensors(bytes, 'x').tensors.map((x) => x.name)).toEqual(['10', '2', 'b']);
  });

  it('rounds float32 to the nearest bfloat16 and float16, ties to even', () => {
    const values = new Float32Array([1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 2 ** -11, 1 + 3 * 2 ** -11]);
    const back = readSafetensors(
      writeSafetensors([
        { name: 'b', dtype: 'bfloat16', shape: [4], data: values },
        { name: 'h', dtype: 'float16', shape: [4], data: values },
      ]),
      'x',
    ).tensors;
    expect(Array.from(back.find((t) => t.name === 'b')!.data)).toEqual([1, 1 + 2 ** -6, 1, 1]);
    expect(Array.from(back.find((t) => t.name === 'h')!.data)).toEqual([
      1 + 2 ** -8,
      1 + 3 * 2 ** -8,
      1,
      1 + 2 ** -9,
    ]);
  });

  it('refuses reserved or repeated names and non-string metadata', () => {
    expect(() => writeSafetensors([{ ...TENSORS[0], name: '__metadata__' }])).toThrow(
      'the name __metadata__ is reserved',
    );
    expect(() => writeSafetensors([TENSORS[0], TENSORS[0]])).toThrow(
      'tensor "w": two tensors have this name',
    );
    expect(() => writeSafetensors([], { n: 1 } as unknown as Record<string, string>)).toThrow(
      'writeSafetensors: metadata "n" must be a string, got number',
    );
  });
});

describe('readSafetensors on malformed input', () => {
  const cases: [string, Uint8Array, string][] = [
    [
      'a file shorter than the length',
      new Uint8Array(5),
      'model.safetensors: 5 bytes, too short for a safetensors file',
    ],
    [
      'a header length past the end',
      (() => {
        const b = new Uint8Array(4096);
        new DataView(b.buffer).setBigUint64(0, 10n ** 12n, true);
        return b;
      })(),
      'model.safetensors: header length 1000000000000 exceeds the file (4096 bytes)',
    ],
    [
      'a header that is not JSON',
      file('{"w": {dtype'),
      'model.safetensors: header (12 bytes after the length) is not valid UTF-8 JSON',
    ],
    [
      'a header that is not UTF-8',
      file('{"\xff": 1}').map((b) => (b === 0xc3 ? 0xff : b)),
      'is not valid UTF-8 JSON',
    ],
    ['a header that is a list', file([1, 2]), 'model.safetensors: header must be a JSON object'],
    [
      'a tensor name given twice, with the same offsets',
      file(
        '{"w": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}, "w": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}}',
        2,
      ),
      'model.safetensors: the header names tensor "w" twice, expected unique tensor names',
    ],
    [
      'a tensor name given twice, once escaped',
      file(
        '{"ab": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}, "a\\u0062": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}',
        2,
      ),
      'model.safetensors: the header names tensor "ab" twice',
    ],
    [
      'a metadata key given twice',
      file('{"__metadata__": {"k": "1", "k": "2"}}'),
      'model.safetensors: the header repeats key "k" in "__metadata__", expected unique keys',
    ],
    [
      'an unknown dtype',
      file({ w: { dtype: 'Q7', shape: [1], data_offsets: [0, 1] } }, 1),
      'model.safetensors: tensor "w": dtype "Q7" is not supported, expected one of F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL',
    ],
    [
      'a dtype named like an object property',
      file({ w: { dtype: 'constructor', shape: [1], data_offsets: [0, 1] } }, 1),
      'tensor "w": dtype "constructor" is not supported',
    ],
    [
      'an unsupported dtype',
      file({ w: { dtype: 'U16', shape: [1], data_offsets: [0, 2] } }, 2),
      'tensor "w": dtype "U16" is not supported',
    ],
    [
      'a negative shape',
      file({ w: f32([2, -1], 0, 8) }, 8),
      'model.safetensors: tensor "w": shape [2,-1] must be a list of non-negative integers',
    ],
    [
      'a fractional shape',
      file({ w: f32([2.5], 0, 8) }, 8),
      'tensor "w": shape [2.5] must be a list of non-negative integers',
    ],
    [
      'an entry that is not an object',
      file({ w: 3 }),
      'model.safetensors: tensor "w": header entry must be an object {dtype, shape, data_offsets}',
    ],
    [
      'missing data_offsets',
      file({ w: { dtype: 'F32', shape: [1] } }, 4),
      'tensor "w": data_offsets undefined must be two integers [begin, end] with 0 ≤ begin ≤ end',
    ],
    [
      'begin after end',
      file({ w: f32([1], 8, 4) }, 8),
      'tensor "w": data_offsets [8,4] must be two integers',
    ],
    [
      'a byte count that does not fit the shape',
      file({ w: f32([4, 6], 0, 100) }, 100),
      'model.safetensors: tensor "w": data_offsets [0, 100] hold 100 bytes, expected 96 for F32 [4, 6]',
    ],
    [
      'offsets outside the data section',
      file({ w: f32([2], 0, 8) }, 4),
      'model.safetensors: tensor "w": data_offsets [0, 8] lie outside the data section (4 bytes after the header)',
    ],
    [
      'overlapping tensors',
      file({ a: f32([4], 0, 16), b: f32([4], 8, 24) }, 24),
      'model.safetensors: tensors "a" [0, 16] and "b" [8, 24] overlap',
    ],
    [
      'a gap between tensors',
      file({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, 12),
      'model.safetensors: bytes 4..8 of the data section belong to no tensor (before "b")',
    ],
    [
      'bytes after the last tensor',
      file({ a: f32([1], 0, 4) }, 12),
      'model.safetensors: the data section has 12 bytes but the tensors cover 4',
    ],
    [
      'non-string metadata',
      file({ __metadata__: { epoch: 3 } }),
      'model.safetensors: __metadata__ "epoch" must be a string, got 3',
    ],
    [
      'an int64 outside the int32 range',
      file(
        { n: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } },
        new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]),
      ),
      'model.safetensors: tensor "n": int64 value 4294967296 at flat index 1 is outside the int32 range',
    ],
  ];
  itReportsEach(cases, (bytes) => readSafetensors(bytes, 'model.safetensors'));

  it('keeps equal keys in different objects, and names with quotes, commas and braces', () => {
    const header =
      '{"a\\",{[": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}, "b": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}';
    expect(readSafetensors(file(header, 2), 'x').tensors.map((t) => t.name)).toEqual([
      'a",{[',
      'b',
    ]);
  });

  it('accepts an empty file with only metadata, and whitespace around the JSON', () => {
    expect(readSafetensors(file(' {"__metadata__": {"a": "b"}}  '), 'x')).toEqual({
      tensors: [],
      metadata: { a: 'b' },
    });
  });

  it('throws only FileFormatErrors naming the file, whatever byte the file is cut at', () => {
    const bytes = readFixture('model.safetensors');
    expectNamedErrorsWhenCut(bytes, 'cut.safetensors', readSafetensors);
  });

  it('reads or throws a FileFormatError, whatever single byte of the header is damaged', () => {
    const bytes = readFixture('model.safetensors');
    const headerEnd = 8 + new DataView(bytes.buffer).getUint32(0, true);
    for (let at = 0; at < headerEnd; at++) {
      const damaged = bytes.slice();
      damaged[at] ^= 0x5a;
      try {
        readSafetensors(damaged, 'd.safetensors');
      } catch (e) {
        expect(e).toBeInstanceOf(FileFormatError);
      }
    }
  });
});

describe('readSafetensors on Node Buffers', () => {
  it('reads a Buffer that is a view into larger memory (Buffer.slice returns views, not copies)', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i - 5.5);
    const file = writeSafetensors([{ name: 'w', dtype: 'float32', shape: [3, 4], data }]);
    const pool = Buffer.alloc(file.length + 13, 0xff);
    pool.set(file, 13);
    const view = pool.subarray(13); // byteOffset 13, like a file read into a shared pool
    const { tensors } = readSafetensors(view, 'view.safetensors');
    expect(Array.from(tensors[0].data as Float32Array)).toEqual(Array.from(data));
  });
});
