// A float32 .npy read from disk block by block gives the layers, and the analysis, that reading
// the whole file gives; other layouts are left to the in-memory reader; a cut file is refused.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedArray } from '../engine/io/dtypes';
import { readNpy, writeNpy } from '../engine/io/npy';
import { activationLayersFromArrays } from '../engine/io/layers';
import { memoryLayerRows } from '../engine/metrics/layerRows';
import { initNodeBackend } from '../engine/nodeBackend';
import { analyzeLayerRows } from '../engine/pipeline/analyze';
import { npyFileRows } from './npyFileRows';
import { strata } from './testing';

let dir: string;

function stack(shape: number[], seed: number): NamedArray {
  let state = seed;
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: size }, () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647 - 0.3;
  });
  return { name: 'acts', dtype: 'float32', shape, data };
}

describe('npyFileRows', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-npyrows-'));
    await initNodeBackend('cpu');
  });

  it('reads the rows of a 3-D and a 2-D array as the in-memory reader does', async () => {
    for (const shape of [
      [5, 37, 6],
      [37, 6],
    ]) {
      const array = stack(shape, 3);
      const file = join(dir, `acts${shape.length}.npy`);
      const bytes = writeNpy(array);
      await writeFile(file, bytes);
      const fromFile = await npyFileRows(file);
      const inMemory = memoryLayerRows(
        activationLayersFromArrays([readNpy(bytes, `acts${shape.length}.npy`)], 'x').layers,
      );
      expect(fromFile).not.toBeNull();
      expect(fromFile!.names).toEqual(inMemory.names);
      expect(fromFile!.widths).toEqual(inMemory.widths);
      expect(fromFile!.n).toBe(37);
      for (let l = 0; l < inMemory.widths.length; l++) {
        expect(Array.from(await fromFile!.read(l, 11, 9))).toEqual(
          Array.from(await inMemory.read(l, 11, 9)),
        );
      }
      const options = { path: 'streamed' as const, streamed: { blockFloats: 30 } };
      const a = await analyzeLayerRows(fromFile!, undefined, options);
      const b = await analyzeLayerRows(inMemory, undefined, options);
      expect(a).toEqual(b);
      await fromFile!.close();
    }
  });

  it('leaves other layouts to the in-memory reader and refuses a cut file', async () => {
    const f32 = stack([2, 8, 3], 5);
    const f64: NamedArray = { ...f32, dtype: 'float64', data: Float64Array.from(f32.data) };
    await writeFile(join(dir, 'f64.npy'), writeNpy(f64));
    expect(await npyFileRows(join(dir, 'f64.npy'))).toBeNull();
    await writeFile(join(dir, 'one.npy'), writeNpy(stack([8], 1)));
    expect(await npyFileRows(join(dir, 'one.npy'))).toBeNull();
    const whole = writeNpy(stack([2, 8, 3], 5));
    await writeFile(join(dir, 'cut.npy'), whole.subarray(0, whole.length - 4));
    await expect(npyFileRows(join(dir, 'cut.npy'))).rejects.toThrow(
      'cut.npy: 188 bytes of data, expected 192 for <f4 (2, 8, 3)',
    );
  });

  it('strata analyze names the file, the layer and the place of a NaN in a streamed .npy', async () => {
    const array = stack([3, 10, 4], 2);
    array.data[1 * 40 + 6 * 4 + 2] = NaN;
    const file = join(dir, 'nan.npy');
    await writeFile(file, writeNpy(array));
    const { code, stderr } = await strata(
      'analyze',
      '--activations',
      file,
      '--backend',
      'cpu',
      '--out',
      join(dir, 'nan-out'),
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      'nan.npy: layer_1 contains 1 NaN or infinite values (the first at row 6, column 2)',
    );
  });
});
