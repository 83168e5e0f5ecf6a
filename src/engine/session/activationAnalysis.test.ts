import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { NamedArray } from '../io/dtypes';
import { readFixture } from '../io/fixtureFiles';
import { writeNpy } from '../io/npy';
import { writeNpz } from '../io/npz';
import { writeSafetensors } from '../io/safetensors';
import { analyzeActivationFile } from './activationAnalysis';

const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);

function layer(name: string, n: number, d: number, seed: number): NamedArray {
  const data = new Float32Array(n * d).map((_, i) => Math.sin(i * 0.37 + seed) + seed * 0.1);
  return { name, dtype: 'float32', shape: [n, d], data };
}

async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('analyzeActivationFile', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('reads an .npz of per-layer arrays with progress, computes cosine and CKA, leaks nothing', async () => {
    const arrays = [0, 1, 2].map((l) => layer(`layer_${l}`, 12, 5, l));
    const bytes = writeNpz(arrays);
    const phases: string[] = [];
    await analyzeActivationFile({ path: 'w.npz', file: blob(bytes) }, ['cosine', 'cka']); // warm-up
    const before = tf.memory().numTensors;
    const r = await analyzeActivationFile(
      { path: 'runs/acts.npz', file: blob(bytes) },
      ['cosine', 'cka'],
      {},
      (e) => phases.push(e.phase),
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(r).toMatchObject({
      fileName: 'runs/acts.npz',
      fileBytes: bytes.length,
      layers: ['layer_0', 'layer_1', 'layer_2'],
      widths: [5, 5, 5],
      n: 12,
    });
    expect(phases).toContain('reading runs/acts.npz');
    expect(r.metrics.cosine![1][1]).toBeCloseTo(1, 5);
    expect(r.metrics.cka![0][0]).toBeCloseTo(1, 5);
    expect(r.agreement['cosine~cka']).toBeDefined();
  });

  it('takes one [L, N, D] array from .npy and .safetensors; skips cosine for unequal widths', async () => {
    const stack: NamedArray = {
      name: 'h',
      dtype: 'float32',
      shape: [4, 6, 3],
      data: new Float32Array(72).map((_, i) => Math.cos(i)),
    };
    const npy = await analyzeActivationFile({ path: 'h.npy', file: blob(writeNpy(stack)) }, [
      'cosine',
      'cka',
    ]);
    expect(npy.layers).toEqual(['layer_0', 'layer_1', 'layer_2', 'layer_3']);
    const st = await analyzeActivationFile(
      { path: 'h.safetensors', file: blob(writeSafetensors([stack])) },
      ['cka-debiased'],
    );
    expect(st.n).toBe(6);
    const mixed = await analyzeActivationFile(
      { path: 'acts.npz', file: blob(readFixture('acts.npz')) },
      ['cosine', 'cka', 'cka-debiased'],
    );
    expect(mixed.widths).toEqual([2, 3, 2, 2]);
    expect(mixed.metrics.cosine).toBeUndefined();
    expect(mixed.notes.cosine).toEqual([
      'cosine needs every layer to have the same width; the widths are 2, 3',
    ]);
    expect(mixed.notes['cka-debiased']).toEqual([
      'cka-debiased needs N ≥ 4 samples; the file has 3',
    ]);
    expect(mixed.metrics.cka).toHaveLength(4);
  });

  it('names the file, the array and what was expected', async () => {
    const before = tf.memory().numTensors;
    const run = (path: string, bytes: Uint8Array) =>
      messageOf(analyzeActivationFile({ path, file: blob(bytes) }, ['cosine', 'cka']));
    expect(
      await run('m.npz', writeNpz([layer('layer_0', 5, 2, 0), layer('layer_1', 4, 2, 1)])),
    ).toBe(
      'm.npz: array "layer_1" has 4 rows but "layer_0" has 5; every layer must hold the same N samples',
    );
    const oneD: NamedArray = { name: 'v', dtype: 'float32', shape: [7], data: new Float32Array(7) };
    expect(await run('v.npy', writeNpy(oneD))).toMatch(
      /^v\.npy: array "v" has shape \[7\] \(1-D\); expected several 2-D arrays/,
    );
    const ints: NamedArray = {
      name: 'ids',
      dtype: 'int32',
      shape: [3, 2],
      data: new Int32Array(6),
    };
    expect(await run('ids.safetensors', writeSafetensors([ints]))).toBe(
      'ids.safetensors: array "ids" has dtype int32, expected floating-point activations (float16, bfloat16, float32 or float64)',
    );
    const nan = layer('layer_0', 3, 2, 0);
    nan.data[3] = NaN;
    expect(await run('nan.npz', writeNpz([nan]))).toMatch(
      /^nan\.npz: array "layer_0" has NaN at row 1, column 1/,
    );
    expect(await run('acts.csv', new Uint8Array([1]))).toBe(
      'acts.csv: unknown activation format ".csv", expected .npz, .npy, .safetensors',
    );
    expect(await run('e.npy', new Uint8Array(0))).toBe('e.npy: the file is empty');
    const header = new TextEncoder().encode(
      JSON.stringify({ x: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 400] } }),
    );
    const lying = new Uint8Array(8 + header.length + 16);
    new DataView(lying.buffer).setBigUint64(0, BigInt(header.length), true);
    lying.set(header, 8);
    expect(await run('lie.safetensors', lying)).toMatch(/^lie\.safetensors: .*data_offsets/);
    const short = new TextEncoder().encode(
      JSON.stringify({ x: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }),
    );
    const sized = new Uint8Array(8 + short.length + 12);
    new DataView(sized.buffer).setBigUint64(0, BigInt(short.length), true);
    sized.set(short, 8);
    expect(await run('size.safetensors', sized)).toBe(
      'size.safetensors: tensor "x": data_offsets [0, 12] hold 12 bytes, expected 16 for F32 [2, 2]',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
