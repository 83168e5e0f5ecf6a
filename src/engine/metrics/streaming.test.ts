// Minibatch CKA streamed from host memory gives what the whole-tensor path gives; the row
// sources agree; the low-memory finiteness check still finds every NaN and infinity.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { analyzeLayers } from '../pipeline/analyze';
import { memoryLayerRows } from './layerRows';
import { deviceRows, layerRowSource } from './linearKernelStats';
import { minibatchCkaOfRows, similarityMatrices } from './similarity';
import { maxAbsDiff, randomLayer, TEST_BACKENDS } from './testing';
import { assertFinite } from './validate';

async function hostCopy(layers: readonly Tensor2D[]) {
  return Promise.all(
    layers.map(async (x, l) => ({
      name: `layer_${l}`,
      n: x.shape[0],
      d: x.shape[1],
      data: (await x.data()) as Float32Array,
    })),
  );
}

describe.each(TEST_BACKENDS)('streamed minibatch CKA on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('equals similarityMatrices on the same rows, with a ragged last batch', async () => {
    const layers = [16, 24, 16, 8].map((d, l) => randomLayer(203, d, 40 + l)); // 203 = 6·32 + 11
    const host = await hostCopy(layers);
    const whole = (await similarityMatrices(layers, ['cka-minibatch'], { batchSize: 32 }))[
      'cka-minibatch'
    ];
    const streamed = await minibatchCkaOfRows(memoryLayerRows(host), 32);
    expect(maxAbsDiff(streamed.values, whole.values)).toBeLessThan(1e-6);
    expect(streamed.notes).toEqual(whole.notes);
    expect(streamed.notes.join(' ')).toContain('6 batches of 32 rows and a last one of 11 rows');
    layers.forEach((t) => t.dispose());
  });

  it('row sources give the same rows as slicing on the host', async () => {
    const x = randomLayer(50, 6, 7);
    const host = await hostCopy([x]);
    const [fromDevice] = await deviceRows([x])(17, 9);
    const [fromHost] = await layerRowSource(memoryLayerRows(host))(17, 9);
    const [scaled] = await layerRowSource(memoryLayerRows(host), [0.25])(17, 9);
    const expected = Array.from(host[0].data.subarray(17 * 6, 26 * 6));
    expect(fromDevice.shape).toEqual([9, 6]);
    expect(Array.from(await fromDevice.data())).toEqual(expected);
    expect(Array.from(await fromHost.data())).toEqual(expected);
    expect(Array.from(await scaled.data())).toEqual(expected.map((v) => v * 0.25));
    tf.dispose([x, fromDevice, fromHost, scaled]);
  });

  it('checks its input like the tensor path, naming the layer', async () => {
    const layer = (n: number, values: number) => ({
      name: 'x',
      n,
      d: 2,
      data: new Float32Array(values).fill(1),
    });
    const good = layer(8, 16);
    const nan = layer(8, 16);
    nan.data[5] = NaN;
    nan.data[9] = -Infinity;
    nan.name = 'block_1';
    const analyse = (layers: ReturnType<typeof layer>[], batchSize: number) =>
      analyzeLayers(layers, ['cka-minibatch'], { batchSize });
    await expect(analyse([good, nan], 4)).rejects.toThrow(
      'block_1 contains 2 NaN or infinite values (the first at row 2, column 1); expected finite numbers',
    );
    await expect(analyse([good, layer(7, 14)], 4)).rejects.toThrow(
      'layer_1 has 7 rows but layer_0 has 8',
    );
    await expect(analyse([good], 3)).rejects.toThrow('batch size 3');
    await expect(analyse([layer(8, 15)], 4)).rejects.toThrow(
      'layer_0 holds 15 values, expected 8 × 2',
    );
  });

  it('the finiteness check passes the largest floats and counts NaN and ±∞', async () => {
    const big = tf.tensor2d([3.4e38, -3.4e38, 1e-45, 0], [2, 2]);
    await expect(assertFinite([big], 'test')).resolves.toBeUndefined();
    const bad = tf.tensor2d([1, Infinity, NaN, -Infinity, 2, 3], [3, 2]);
    await expect(assertFinite([big, bad], 'test')).rejects.toThrow(
      'test: layer_1 contains 3 NaN or infinite values; expected finite numbers',
    );
    tf.dispose([big, bad]);
  });

  it('leaves no tensor behind', async () => {
    const layers = [randomLayer(40, 4, 1), randomLayer(40, 5, 2)];
    const host = await hostCopy(layers);
    tf.dispose(layers);
    const rows = memoryLayerRows(host);
    await minibatchCkaOfRows(rows, 8); // warm-up
    const before = tf.memory().numTensors;
    await minibatchCkaOfRows(rows, 8);
    expect(tf.memory().numTensors).toBe(before);
  });
});
