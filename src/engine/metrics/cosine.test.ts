import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { cosineSimilarityMatrix } from './cosine';
import { TEST_BACKENDS } from './testing';

describe.each(TEST_BACKENDS)('cosine on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('matches a hand computation, zero rows adding 0 and counted in the notes', async () => {
    // Sample 0: (1,0)·(1,1) → 1/√2; sample 1: (0,2)·(0,−3) → −1; sample 2: a zero row in b → 0.
    const a = tf.tensor2d([
      [1, 0],
      [0, 2],
      [3, 4],
    ]);
    const b = tf.tensor2d([
      [1, 1],
      [0, -3],
      [0, 0],
    ]);
    const got = await cosineSimilarityMatrix([a, b]);
    expect(got.values[0][1]).toBeCloseTo((Math.SQRT1_2 - 1 + 0) / 3, 6);
    expect(got.values[0][0]).toBeCloseTo(1, 6);
    expect(got.values[1][1]).toBeCloseTo(2 / 3, 6);
    expect(got.notes).toEqual([
      'layer_1: 1 of 3 rows are zero vectors; each adds 0 to the mean over 3 samples, ' +
        'so COS(layer_1, layer_1) = 0.6666666666666666',
    ]);
    [a, b].forEach((t) => t.dispose());
  });

  it('neither underflows nor overflows float32 on tiny or huge rows', async () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0.5, 2],
      [4, -2, 1],
    ]);
    const y = tf.tensor2d([
      [2, 2, 1],
      [1, 1, 1],
      [0, -1, 3],
    ]);
    const tiny = tf.mul(y, 1e-30) as Tensor2D;
    const huge = tf.mul(y, 1e30) as Tensor2D;
    const got = await cosineSimilarityMatrix([x, y, tiny, huge]);
    const v = got.values;
    expect(v[0][2]).toBeCloseTo(v[0][1]!, 6);
    expect(v[0][3]).toBeCloseTo(v[0][1]!, 6);
    expect(v[2][3]).toBeCloseTo(1, 6);
    expect(got.notes).toEqual([]);
    [x, y, tiny, huge].forEach((t) => t.dispose());
  });
});
