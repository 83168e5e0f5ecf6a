// Test helper (Node only): the files written by fixtures/make_fixtures.py and the values numpy
// wrote into them. Imported by the *.test.ts files beside it, never by the engine.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { DType, NamedArray } from './dtypes';

const DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(DIR + name));
}

export interface ExpectedArray {
  name: string;
  dtype: DType;
  shape: number[];
  values: (number | 'nan' | 'inf' | '-inf')[];
}

const expected = JSON.parse(readFileSync(DIR + 'expected.json', 'utf8')) as Record<string, unknown>;

export function expectedArrays(file: string): ExpectedArray[] {
  return expected[file] as ExpectedArray[];
}

export function expectedEntry<T>(key: string): T {
  return expected[key] as T;
}

export function decodeExpected(value: ExpectedArray['values'][number]): number {
  if (value === 'nan') return NaN;
  if (value === 'inf') return Infinity;
  if (value === '-inf') return -Infinity;
  return value;
}

/** The array equals what numpy wrote: name, dtype, shape, and every value (NaN, ±0 included). */
export function expectArrayEquals(actual: NamedArray, want: ExpectedArray): void {
  expect({ name: actual.name, dtype: actual.dtype, shape: actual.shape }).toEqual({
    name: want.name,
    dtype: want.dtype,
    shape: want.shape,
  });
  const values = Array.from(actual.data);
  const wanted = want.values.map(decodeExpected);
  // float64 fixture values held as float32 are compared after rounding to float32.
  const round = actual.data instanceof Float32Array ? Math.fround : (x: number) => x;
  expect(values).toEqual(wanted.map(round));
}
