// Bad input gets a message naming the input, the place and what was expected (docs/design.md §5).
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { debiasedCkaMatrix, linearCkaMatrix, minibatchCkaMatrix } from './cka';
import { cosineSimilarityMatrix } from './cosine';
import { rbfCkaMatrix } from './rbfCka';
import { applicableMetrics, similarityMatrices } from './similarity';
import { TEST_BACKENDS, randomLayer } from './testing';

describe.each(TEST_BACKENDS)('errors on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('debiased and minibatch CKA need N ≥ 4', async () => {
    const small = [randomLayer(3, 5, 1), randomLayer(3, 5, 2)];
    await expect(debiasedCkaMatrix(small)).rejects.toThrow(
      'debiased CKA needs at least 4 samples, got 3',
    );
    await expect(minibatchCkaMatrix(small, { batchSize: 8 })).rejects.toThrow(
      'minibatch CKA needs at least 4 samples, got 3',
    );
    await expect(similarityMatrices(small, ['cka', 'cka-debiased'])).rejects.toThrow(
      'debiased CKA needs at least 4 samples, got 3',
    );
    expect(applicableMetrics(small)).toEqual(['cosine', 'cka', 'cka-rbf']);
    // Linear CKA is defined for any N.
    expect((await linearCkaMatrix(small)).values[0][0]).toBe(1);
    small.forEach((t) => t.dispose());
  });

  it('cosine names both layers and widths when widths differ', async () => {
    const layers = [64, 64, 64, 32].map((d, l) => randomLayer(10, d, l));
    const message = 'cosine needs equal widths: layer_0 has 64, layer_3 has 32';
    await expect(cosineSimilarityMatrix(layers)).rejects.toThrow(message);
    await expect(similarityMatrices(layers, ['cka', 'cosine'])).rejects.toThrow(message);
    expect(applicableMetrics(layers)).toEqual(['cka', 'cka-debiased', 'cka-minibatch', 'cka-rbf']);
    layers.forEach((t) => t.dispose());
  });

  it('NaN or Inf in an input names the layer', async () => {
    const good = randomLayer(6, 4, 1);
    const nan = tf.tensor2d([[1, 2, 3, NaN], ...Array.from({ length: 5 }, () => [1, 0, 2, 1])]);
    const inf = tf.tensor2d([
      ...Array.from({ length: 5 }, () => [1, 0, 2, 1]),
      [0, -Infinity, 0, 0],
    ]);
    await expect(linearCkaMatrix([good, good, nan])).rejects.toThrow(
      /linear CKA: layer_2 contains 1 NaN or infinite values/,
    );
    await expect(debiasedCkaMatrix([good, inf])).rejects.toThrow(/layer_1 contains 1 NaN/);
    await expect(minibatchCkaMatrix([nan, good], { batchSize: 4 })).rejects.toThrow(/layer_0/);
    await expect(rbfCkaMatrix([good, inf])).rejects.toThrow(/RBF CKA: layer_1/);
    await expect(cosineSimilarityMatrix([good, nan])).rejects.toThrow(/cosine: layer_1/);
    await expect(similarityMatrices([good, inf], ['cka'])).rejects.toThrow(/layer_1/);
    [good, nan, inf].forEach((t) => t.dispose());
  });

  it('rows, ranks, dtypes, batch sizes, bandwidths and metric names are checked', async () => {
    const a = randomLayer(10, 4, 1);
    const b = randomLayer(12, 4, 2);
    const ints = tf.zeros([10, 4], 'int32');
    await expect(linearCkaMatrix([a, b])).rejects.toThrow(
      'linear CKA: layer_1 has 12 rows but layer_0 has 10',
    );
    await expect(linearCkaMatrix([])).rejects.toThrow('linear CKA: no layers given');
    await expect(linearCkaMatrix([a, ints as never])).rejects.toThrow(
      'layer_1 has dtype int32, expected float32',
    );
    await expect(minibatchCkaMatrix([a, a], { batchSize: 3 })).rejects.toThrow(
      'minibatch CKA: batch size 3 is not allowed, expected an integer ≥ 4',
    );
    await expect(rbfCkaMatrix([a, a], { t: 0 })).rejects.toThrow('RBF CKA: bandwidth t = 0');
    await expect(similarityMatrices([a, a], ['cka', 'cca' as never])).rejects.toThrow(
      'similarity: unknown metric "cca", expected one of cosine, cka, cka-debiased',
    );
    [a, b, ints].forEach((t) => t.dispose());
  });
});
