import { describe, expect, it } from 'vitest';
import type { NamedArray } from './dtypes';
import { itReportsEach } from './formatErrorChecks';
import { expectedArrays, readFixture } from './fixtureFiles';
import { activationLayersFromArrays } from './layers';
import { readNpy } from './npy';
import { readNpz } from './npz';

const f32 = (name: string, shape: number[], values?: number[]): NamedArray => ({
  name,
  dtype: 'float32',
  shape,
  data: values
    ? new Float32Array(values)
    : new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => i),
});

describe('activationLayersFromArrays', () => {
  it('takes 2-D arrays from an .npz in natural order of their names', () => {
    for (const file of ['acts.npz', 'acts_compressed.npz']) {
      const { names, layers } = activationLayersFromArrays(
        readNpz(readFixture(file), file, { maxTotalBytes: 1024 ** 3 }),
        file,
      );
      expect(names).toEqual(['layer_0', 'layer_1', 'layer_2', 'layer_10']);
      const want = expectedArrays(file);
      for (const layer of layers) {
        const w = want.find((x) => x.name === layer.name)!;
        expect([layer.n, layer.d]).toEqual(w.shape);
        expect(Array.from(layer.data)).toEqual(w.values);
        expect(layer.data).toBeInstanceOf(Float32Array); // layer_1 was float64
      }
    }
  });

  it('splits one 3-D array [L, N, D] into layer_0 … layer_{L-1}', () => {
    const stack = readNpy(readFixture('acts_3d.npy'), 'acts_3d.npy');
    const { names, layers } = activationLayersFromArrays([stack], 'acts_3d.npy');
    expect(names).toEqual(['layer_0', 'layer_1', 'layer_2']);
    const values = expectedArrays('acts_3d.npy')[0].values as number[];
    layers.forEach((layer, l) => {
      expect([layer.n, layer.d]).toEqual([4, 2]);
      expect(Array.from(layer.data)).toEqual(values.slice(l * 8, (l + 1) * 8));
    });
  });

  it('accepts widths that differ between layers and integer or half data', () => {
    const half: NamedArray = {
      name: 'b',
      dtype: 'float16',
      shape: [2, 1],
      data: new Float32Array([0.5, 2]),
    };
    const ints: NamedArray = {
      name: 'a',
      dtype: 'int32',
      shape: [2, 3],
      data: new Int32Array([1, 2, 3, 4, 5, 6]),
    };
    const { layers } = activationLayersFromArrays([half, ints], 'x.npz');
    expect(layers.map((l) => [l.name, l.n, l.d])).toEqual([
      ['a', 2, 3],
      ['b', 2, 1],
    ]);
    expect(Array.from(layers[0].data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  const cases: [string, NamedArray[], string][] = [
    ['zero arrays', [], 'x.npz: holds no arrays, so no layers; expected several 2-D arrays [N, D]'],
    [
      'arrays with different N',
      [f32('layer_0', [4, 2]), f32('layer_1', [4, 2]), f32('layer_2', [3, 2])],
      'x.npz: array "layer_2" has 3 rows but "layer_0" has 4; every layer must hold the same N samples',
    ],
    [
      'a 1-D array',
      [f32('layer_0', [4, 2]), f32('labels', [4])],
      'x.npz: array "labels" has shape [4] (1-D); expected several 2-D arrays',
    ],
    ['a 4-D array', [f32('h', [2, 3, 4, 5])], 'x.npz: array "h" has shape [2, 3, 4, 5] (4-D)'],
    ['a scalar', [f32('t', [])], 'x.npz: array "t" has shape [] (0-D)'],
    [
      'a 3-D array mixed with 2-D arrays',
      [f32('stack', [2, 3, 4]), f32('extra', [3, 4])],
      'x.npz: mixes the 3-D array "stack" [2, 3, 4] with the 2-D array "extra" [3, 4]',
    ],
    [
      'two 3-D arrays',
      [f32('a', [2, 3, 4]), f32('b', [2, 3, 4])],
      'x.npz: holds 2 3-D arrays ("a", "b"); expected several 2-D arrays',
    ],
    [
      'a 3-D array of zero layers',
      [f32('s', [0, 3, 4])],
      'x.npz: array "s" has shape [0, 3, 4]: zero layers',
    ],
    [
      'a layer of zero samples',
      [f32('a', [0, 4])],
      'x.npz: array "a" has shape [0, 4]: a layer needs N ≥ 1 samples',
    ],
    [
      'a 3-D array of zero width',
      [f32('s', [2, 3, 0])],
      'every layer needs N ≥ 1 samples of width D ≥ 1',
    ],
    [
      'NaN in a 2-D array',
      [f32('layer_0', [2, 3]), f32('layer_1', [2, 3], [0, 1, 2, 3, NaN, 5])],
      'x.npz: array "layer_1" has NaN at row 1, column 1 (flat index 4); activations must be finite',
    ],
    [
      'Infinity in a 3-D array',
      [f32('acts', [2, 2, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -Infinity])],
      'x.npz: array "acts" has -Infinity at layer 1, row 1, column 2 (flat index 11)',
    ],
    [
      'a float64 beyond float32',
      [{ name: 'big', dtype: 'float64', shape: [1, 2], data: new Float64Array([1, 1e300]) }],
      'x.npz: array "big" has 1e+300, which overflows float32, at row 0, column 1 (flat index 1)',
    ],
  ];
  itReportsEach(cases, (arrays) => activationLayersFromArrays(arrays, 'x.npz'));

  it('reports the first non-finite value, in row-major order', () => {
    const a = f32('a', [2, 2], [0, NaN, Infinity, NaN]);
    expect(() => activationLayersFromArrays([a], 'x.npz')).toThrow(
      'has NaN at row 0, column 1 (flat index 1)',
    );
  });
});
