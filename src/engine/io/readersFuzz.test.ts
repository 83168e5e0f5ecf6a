// Property tests over the array readers: seeded valid .npy / .npz / .safetensors files with
// unusual but legal layouts read back exactly, and damaged copies either read into a well-formed
// result or throw a FileFormatError naming the file — never another error, never a hang.
import { zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readActivationFile } from '../import/activationFile';
import { checkNamedArray, type DType, type NamedArray } from './dtypes';
import {
  elementBytes,
  expectResultOrNamedError,
  int,
  mutate,
  pick,
  rngOf,
  shapeOf,
  toFortran,
  valuesFor,
  type Rng,
} from './fuzzFiles';
import { readNpy } from './npy';
import { readNpz } from './npz';
import { readSafetensors } from './safetensors';

/** The page's budget for an archive's inflated total (fuzzed files are far below it). */
const LIMITS = { maxTotalBytes: 1024 ** 3 };

const NPY_DESCRS: [string, DType][] = [
  ['<f4', 'float32'],
  ['>f4', 'float32'],
  ['=f4', 'float32'],
  ['f4', 'float32'],
  ['<f8', 'float64'],
  ['>f8', 'float64'],
  ['<f2', 'float16'],
  ['>f2', 'float16'],
  ['<i2', 'int16'],
  ['>i2', 'int16'],
  ['<i4', 'int32'],
  ['>i8', 'int64'],
  ['<i8', 'int64'],
  ['|i1', 'int8'],
  ['|u1', 'uint8'],
  ['|b1', 'bool'],
];

interface Made {
  bytes: Uint8Array;
  array: { dtype: DType; shape: number[]; values: number[] };
  dataStart: number;
}

/** A .npy as numpy (or another writer) may lay it out: any version, key order, quoting, padding. */
function makeNpy(rng: Rng): Made {
  const [descr, dtype] = pick(rng, NPY_DESCRS);
  const shape = shapeOf(rng);
  const values = valuesFor(
    rng,
    dtype,
    shape.reduce((a, b) => a * b, 1),
  );
  const fortran = rng() < 0.3;
  const q = pick(rng, ["'", '"']);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(pick(rng, [', ', ',']))})`;
  const items = [
    `${q}descr${q}: ${q}${descr}${q}`,
    `${q}fortran_order${q}: ${fortran ? 'True' : 'False'}`,
    `${q}shape${q}: ${tuple}`,
  ].sort(() => rng() - 0.5);
  const header = `{${items.join(', ')}${pick(rng, [', ', ',', ''])}}`;
  const version = pick(rng, [1, 1, 2, 3]);
  const prefix = version === 1 ? 10 : 12;
  const align = pick(rng, [64, 16, 1]);
  const pad = (align - ((prefix + header.length + 1) % align)) % align;
  const text = header + pick(rng, [' ', '\t']).repeat(pad) + pick(rng, ['\n', ' ']);
  const littleEndian = !descr.startsWith('>');
  const data = elementBytes(dtype, fortran ? toFortran(values, shape) : values, littleEndian);
  const out = new Uint8Array(prefix + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i);
  out.set(data, prefix + text.length);
  return { bytes: out, array: { dtype, shape, values }, dataStart: prefix + text.length };
}

/** A result of a reader is well-formed: each array's data fits its dtype and shape. */
const wellFormed = (arrays: NamedArray[]) => arrays.forEach((a) => checkNamedArray(a, a.name));

/** readActivationFile's result: layers of N ≥ 1 rows of D ≥ 1 finite values. */
function wellFormedLayers(file: string) {
  return (result: ReturnType<typeof readActivationFile>) => {
    expect(result.names).toEqual(result.layers.map((l) => l.name));
    for (const l of result.layers) {
      expect(l.n * l.d).toBe(l.data.length);
      expect(l.n >= 1 && l.d >= 1, `${file}: layer ${l.name}`).toBe(true);
      expect(l.data.every(Number.isFinite)).toBe(true);
    }
  };
}

/** The same bytes read as an activations file give well-formed layers or an error naming it. */
function expectLayersOrNamedError(bytes: Uint8Array, file: string) {
  const read = () => readActivationFile(bytes, file, LIMITS);
  return expectResultOrNamedError(read, file, wellFormedLayers(file), true);
}

const expectArray = (actual: NamedArray, made: Made['array'], name: string) => {
  expect({ name: actual.name, dtype: actual.dtype, shape: actual.shape }).toEqual({
    name,
    dtype: made.dtype,
    shape: made.shape,
  });
  expect(Array.from(actual.data)).toEqual(made.values);
};

describe('.npy', () => {
  it('reads 400 valid files of every dtype, byte order, rank, padding and fortran_order', () => {
    const rng = rngOf('npy-valid');
    for (let i = 0; i < 400; i++) {
      const made = makeNpy(rng);
      expectArray(readNpy(made.bytes, `dir/case${i}.npy`), made.array, `case${i}`);
    }
  });

  it('reads or refuses by name 3000 damaged files, as .npy and as activations', async () => {
    const rng = rngOf('npy-damaged');
    for (let i = 0; i < 3000; i++) {
      const made = makeNpy(rng);
      const file = `bad${i}.npy`;
      let bytes = mutate(rng, made.bytes, rng() < 0.8 ? made.dataStart + 2 : undefined);
      if (rng() < 0.3) bytes = mutate(rng, bytes);
      await expectResultOrNamedError(
        () => readNpy(bytes, file),
        file,
        (a) => wellFormed([a]),
        true,
      );
      await expectLayersOrNamedError(bytes, file);
    }
  });
});

const NPZ_NAMES = ['a', 'layer 1', 'é', 'a.b', 'sub/x', 'deep/er/y', 'arr_0', '-', 'x'.repeat(200)];

/** An .npz of 1–4 arrays with odd names, stored or deflated, maybe with folder entries. */
function makeNpz(rng: Rng) {
  const names = [...NPZ_NAMES].sort(() => rng() - 0.5).slice(0, int(rng, 1, 4));
  const files: Zippable = {};
  const arrays = names.map((name) => {
    const made = makeNpy(rng);
    files[`${name}.npy`] = [made.bytes, { level: pick(rng, [0, 0, 6, 9]) as 0 | 6 | 9 }];
    return { name, made };
  });
  const folders = rng() < 0.3;
  if (folders) files['sub/'] = new Uint8Array(0);
  return { bytes: zipSync(files), arrays, folders };
}

describe('.npz', () => {
  it('reads 200 valid archives, stored and deflated, with odd names, nested folders and folder entries', () => {
    const rng = rngOf('npz-valid');
    for (let i = 0; i < 200; i++) {
      const { bytes, arrays } = makeNpz(rng);
      const read = readNpz(bytes, 'x.npz', LIMITS);
      expect(read.map((a) => a.name)).toEqual(arrays.map((a) => a.name));
      read.forEach((a, k) => expectArray(a, arrays[k].made.array, arrays[k].name));
    }
  });

  it('reads or refuses by name 1500 damaged archives', async () => {
    const rng = rngOf('npz-damaged');
    for (let i = 0; i < 1500; i++) {
      const file = `bad${i}.npz`;
      const bytes = mutate(rng, mutate(rng, makeNpz(rng).bytes));
      await expectResultOrNamedError(() => readNpz(bytes, file, LIMITS), file, wellFormed, true);
      await expectLayersOrNamedError(bytes, file);
    }
  });
});

const ST_DTYPES: [string, DType][] = [
  ['F64', 'float64'],
  ['F32', 'float32'],
  ['F16', 'float16'],
  ['BF16', 'bfloat16'],
  ['I64', 'int64'],
  ['I32', 'int32'],
  ['I16', 'int16'],
  ['I8', 'int8'],
  ['U8', 'uint8'],
  ['BOOL', 'bool'],
];
const UNKNOWN_ST_DTYPES = ['F8_E4M3', 'F8_E5M2', 'U16', 'U32', 'U64', 'C64', 'f32', '', 'F32 '];

/** A safetensors file written by hand (any tensor order in the header, metadata or not). */
function makeSafetensors(rng: Rng, dtypes: [string, DType][] = ST_DTYPES) {
  const tensors = Array.from({ length: int(rng, 0, 4) }, (_, k) => {
    const [code, dtype] = pick(rng, dtypes);
    const shape = shapeOf(rng);
    return {
      name: `t${k}.w`,
      code,
      dtype,
      shape,
      values: valuesFor(
        rng,
        dtype,
        shape.reduce((a, b) => a * b, 1),
      ),
    };
  });
  const parts = tensors.map((t) => elementBytes(t.dtype, t.values, true));
  let offset = 0;
  const fields = tensors.map((t, k) => {
    const info = {
      dtype: t.code,
      shape: t.shape,
      data_offsets: [offset, (offset += parts[k].length)],
    };
    return `${JSON.stringify(t.name)}: ${JSON.stringify(info)}`;
  });
  if (rng() < 0.5) fields.push('"__metadata__": {"format": "pt"}');
  fields.sort(() => rng() - 0.5);
  const json = new TextEncoder().encode(`{${fields.join(', ')}}${' '.repeat(int(rng, 0, 7))}`);
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return { bytes: out, tensors, headerEnd: 8 + json.length };
}

describe('.safetensors', () => {
  it('reads 300 valid files with every dtype', () => {
    const rng = rngOf('st-valid');
    for (let i = 0; i < 300; i++) {
      const { bytes, tensors } = makeSafetensors(rng);
      const read = readSafetensors(bytes, 'x.safetensors').tensors;
      const byName = new Map(read.map((t) => [t.name, t]));
      expect(read).toHaveLength(tensors.length);
      for (const t of tensors) expectArray(byName.get(t.name)!, t, t.name);
    }
  });

  it('refuses each unknown dtype string by name', () => {
    const rng = rngOf('st-unknown');
    for (const code of UNKNOWN_ST_DTYPES) {
      let made = makeSafetensors(rng, [[code, 'uint8']]);
      while (made.tensors.length === 0) made = makeSafetensors(rng, [[code, 'uint8']]);
      const quoted = JSON.stringify(code).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(() => readSafetensors(made.bytes, 'u.safetensors')).toThrow(
        new RegExp(`^u\\.safetensors: tensor "t\\d\\.w": dtype ${quoted} is not supported`),
      );
    }
  });

  it('reads or refuses by name 2000 damaged files', async () => {
    const rng = rngOf('st-damaged');
    for (let i = 0; i < 2000; i++) {
      const made = makeSafetensors(rng);
      const file = `bad${i}.safetensors`;
      const bytes = mutate(rng, made.bytes, rng() < 0.8 ? made.headerEnd : undefined);
      await expectResultOrNamedError(
        () => readSafetensors(bytes, file).tensors,
        file,
        wellFormed,
        true,
      );
      await expectLayersOrNamedError(bytes, file);
    }
  });
});
