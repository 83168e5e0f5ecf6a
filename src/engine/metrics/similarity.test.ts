import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { debiasedCkaMatrix, linearCkaMatrix, minibatchCkaMatrix } from './cka';
import { cosineSimilarityMatrix } from './cosine';
import { choosePath, linearKernelStats } from './linearKernelStats';
import { perLayerAccuracy, perLayerLoss, perLayerReadout, saturationLayers } from './perLayer';
import { rbfCkaMatrix } from './rbfCka';
import { applicableMetrics, similarityMatrices, SIMILARITY_METRICS } from './similarity';
import { FIXTURE_SETS, TEST_BACKENDS, fixtureLayers, randomLayer } from './testing';

describe.each(TEST_BACKENDS)('similarity entry point on %s', (backend) => {
  let layers: Tensor2D[];
  beforeAll(async () => {
    await initNodeBackend(backend);
    layers = fixtureLayers(FIXTURE_SETS.find((s) => s.name === 'n37-equal-widths')!);
  });
  afterAll(() => layers.forEach((x) => x.dispose()));

  it('gives what each metric gives on its own, keyed by name in the order asked', async () => {
    const got = await similarityMatrices(
      layers,
      ['cka-rbf', 'cosine', 'cka', 'cka-debiased', 'cka-minibatch'],
      {
        batchSize: 10,
        rbfT: 1,
      },
    );
    expect(Object.keys(got)).toEqual(['cka-rbf', 'cosine', 'cka', 'cka-debiased', 'cka-minibatch']);
    expect(got.cosine).toEqual(await cosineSimilarityMatrix(layers));
    expect(got.cka).toEqual(await linearCkaMatrix(layers));
    expect(got['cka-debiased']).toEqual(await debiasedCkaMatrix(layers));
    expect(got['cka-minibatch']).toEqual(await minibatchCkaMatrix(layers, { batchSize: 10 }));
    expect(got['cka-rbf']).toEqual(await rbfCkaMatrix(layers, { t: 1 }));
    expect(got['cka-minibatch'].notes).toContain(
      'unbiased HSIC averaged over 3 batches of 10 rows and a last one of 7 rows',
    );
  });

  it('lists the metrics defined for the layers', () => {
    expect(applicableMetrics(layers)).toEqual([...SIMILARITY_METRICS]);
  });

  it('minibatch CKA does not depend on how batches are grouped on the device', async () => {
    const grouped = await linearKernelStats(layers, { batchSize: 5, path: 'feature' });
    const single = await linearKernelStats(layers, {
      batchSize: 5,
      path: 'feature',
      groupFloats: 1,
    });
    expect(single.batches.length).toBe(7);
    expect(single.skippedRows).toBe(2);
    single.batches.forEach((b, i) => {
      b.cross.forEach((row, l) =>
        row.forEach((v, m) =>
          expect(Math.abs(v / grouped.batches[i].cross[l][m] - 1)).toBeLessThan(1e-6),
        ),
      );
    });
  });
});

describe('path choice', () => {
  it('takes Gram matrices when N is small against the widths, features otherwise', () => {
    expect(choosePath(24, [40, 56, 40])).toBe('gram');
    expect(choosePath(1024, Array(13).fill(128))).toBe('feature');
    expect(choosePath(256, Array(13).fill(768))).toBe('gram');
    // Too many N×N floats at once: features even when they cost more operations.
    expect(choosePath(20000, [30000, 30000])).toBe('feature');
  });
});

describe.each(TEST_BACKENDS)('no tensor leaks on %s', (backend) => {
  let layers: Tensor2D[];
  let mixed: Tensor2D[];
  let logits: Tensor2D[];
  const labels = Int32Array.from({ length: 30 }, (_, i) => i % 5);
  beforeAll(async () => {
    await initNodeBackend(backend);
    layers = [1, 2, 3].map((seed) => randomLayer(30, 8, seed));
    // A constant layer and a wide one exercise the null and Gram paths.
    mixed = [randomLayer(30, 8, 4), tf.ones([30, 5]), randomLayer(30, 64, 5)];
    logits = [6, 7, 8].map((seed) => randomLayer(30, 5, seed));
  });
  afterAll(() => [...layers, ...mixed, ...logits].forEach((x) => x.dispose()));

  const entryPoints: [string, () => Promise<unknown>][] = [
    ['cosineSimilarityMatrix', () => cosineSimilarityMatrix(layers)],
    ['linearCkaMatrix', () => linearCkaMatrix(mixed)],
    ['debiasedCkaMatrix', () => debiasedCkaMatrix(mixed)],
    ['minibatchCkaMatrix', () => minibatchCkaMatrix(mixed, { batchSize: 7 })],
    ['rbfCkaMatrix', () => rbfCkaMatrix(mixed)],
    ['similarityMatrices', () => similarityMatrices(layers, [...SIMILARITY_METRICS])],
    ['perLayerAccuracy', () => perLayerAccuracy(logits, labels)],
    ['perLayerLoss', () => perLayerLoss(logits, labels)],
    ['saturationLayers', () => saturationLayers(logits)],
    ['perLayerReadout', () => perLayerReadout(logits, labels)],
    ['perLayerReadout on arrays', () => perLayerReadout([[[1, 2]], [[2, 1]]], Int32Array.of(0))],
  ];

  it.each(entryPoints)('%s', async (_name, run) => {
    await run(); // warm-up: kernels and backend state allocate once
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('nor on the error path (NaN input)', async () => {
    const nan = tf.fill([30, 8], NaN) as Tensor2D;
    const before = tf.memory().numTensors;
    await expect(similarityMatrices([layers[0], nan], ['cka'])).rejects.toThrow(/layer_1/);
    await expect(perLayerAccuracy([nan], labels)).rejects.toThrow(/layer_0/);
    expect(tf.memory().numTensors).toBe(before);
    nan.dispose();
  });
});
