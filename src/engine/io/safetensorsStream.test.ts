import { describe, expect, it } from 'vitest';
import { blobSource, bytesSource } from './byteSource';
import { openSafetensors } from './safetensorsStream';

/** A safetensors file with one tensor of raw little-endian 16-bit words, built by hand. */
function fileOf(dtype: string, words: number[]): Uint8Array<ArrayBuffer> {
  const header = JSON.stringify({
    x: { dtype, shape: [words.length], data_offsets: [0, 2 * words.length] },
  });
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + 2 * words.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(json, 8);
  words.forEach((w, i) => view.setUint16(8 + json.length + 2 * i, w, true));
  return out;
}

async function readX(bytes: Uint8Array) {
  const file = await openSafetensors(bytesSource(bytes, 'h.safetensors'));
  return Array.from((await file.readTensor(file.entries[0])).data);
}

describe('openSafetensors: half precision, converted to float32 exactly', () => {
  it('F16: normals, subnormals, the largest half, infinities, NaN and negative zero', async () => {
    // IEEE 754 binary16: (-1)^s · 2^(e-15) · (1 + m/1024), subnormals 2^-14 · m/1024.
    const cases: [number, number][] = [
      [0x3c00, 1],
      [0xc000, -2],
      [0x3555, 0.333251953125], // 2^-2 · (1 + 341/1024)
      [0x7bff, 65504],
      [0x0400, 2 ** -14], // smallest normal
      [0x0001, 2 ** -24], // smallest subnormal
      [0x83ff, -1023 * 2 ** -24], // largest subnormal, negative
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
      [0x0000, 0],
    ];
    const got = await readX(fileOf('F16', [...cases.map(([w]) => w), 0x8000, 0x7e00, 0xfd01]));
    expect(got.slice(0, cases.length)).toEqual(cases.map(([, v]) => v));
    expect(Object.is(got[cases.length], -0)).toBe(true);
    expect(got.slice(cases.length + 1).every(Number.isNaN)).toBe(true);
  });

  it('BF16: the upper half of a float32, subnormals included', async () => {
    // bfloat16: (-1)^s · 2^(e-127) · (1 + m/128), subnormals 2^-126 · m/128.
    const cases: [number, number][] = [
      [0x3f80, 1],
      [0x4049, 3.140625], // 2 · (1 + 73/128)
      [0xc2f7, -123.5], // -2^6 · (1 + 119/128)
      [0x7f7f, (1 + 127 / 128) * 2 ** 127], // largest
      [0x0080, 2 ** -126], // smallest normal
      [0x0001, 2 ** -133], // smallest subnormal
      [0x807f, -127 * 2 ** -133], // largest subnormal, negative
      [0x7f80, Infinity],
      [0xff80, -Infinity],
    ];
    const got = await readX(fileOf('BF16', [...cases.map(([w]) => w), 0x8000, 0x7fc0, 0xffc1]));
    expect(got.slice(0, cases.length)).toEqual(cases.map(([, v]) => v));
    expect(Object.is(got[cases.length], -0)).toBe(true);
    expect(got.slice(cases.length + 1).every(Number.isNaN)).toBe(true);
  });

  it('reads the same values from a Blob, slice by slice', async () => {
    const bytes = fileOf('F16', [0x3c00, 0x0001, 0xfc00]);
    const file = await openSafetensors(blobSource(new Blob([bytes]), 'b.safetensors'));
    expect(Array.from((await file.readTensor(file.entries[0])).data)).toEqual([
      1,
      2 ** -24,
      -Infinity,
    ]);
  });

  it('names the file and the tensor for a dtype it does not read', async () => {
    const bytes = fileOf('F8_E4M3', [0x3c00]);
    // One byte per element: the offsets are then wrong too, but the dtype is what is reported.
    await expect(openSafetensors(bytesSource(bytes, 'q.safetensors'))).rejects.toThrow(
      'q.safetensors: tensor "x": dtype "F8_E4M3" is not supported, expected one of F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL',
    );
  });

  it('checks the header against the file size without reading the data', async () => {
    const bytes = fileOf('F16', [1, 2, 3]);
    await expect(
      openSafetensors(bytesSource(bytes.subarray(0, bytes.length - 2), 't.safetensors')),
    ).rejects.toThrow(
      't.safetensors: tensor "x": data_offsets [0, 6] lie outside the data section',
    );
    await expect(
      openSafetensors(bytesSource(bytes.subarray(0, 5), 't.safetensors')),
    ).rejects.toThrow('t.safetensors: 5 bytes, too short for a safetensors file');
  });
});
