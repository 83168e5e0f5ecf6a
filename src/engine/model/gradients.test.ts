import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor, Tensor2D, Tensor4D, Variable } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { PRESETS, type ModelConfig, type TextConfig, type VisionConfig } from './config';
import { tokenEmbed } from './embeddings';
import { forward } from './forward';
import { gelu, geluTanh } from './layers';
import { matMul } from './matmul';
import { disposeParams, initParams, paramEntries } from './params';
import { maxAbsDiff } from './fixtures/reference';

// Reference values from scipy.stats.norm: x·Φ(x), its derivative Φ(x) + x·φ(x), and tanh GELU.
const GELU_X = [-2.5, -0.5, 0.3, 1, 2];
const GELU = [
  -0.01552416331444033, -0.15426876936299344, 0.18537342665668577, 0.8413447460685429,
  1.9544997361036416,
];
const GELU_GRAD = [
  -0.037611085908145214, 0.13250487534383715, 0.7323277668271098, 1.0833154705876864,
  1.085231801078197,
];
const GELU_TANH = [
  -0.015084266089998577, -0.15428599017485606, 0.18537092354275922, 0.8411919906082768,
  1.954597694087775,
];

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

/** Mean cross-entropy of logits [N, C] against labels, written with tfjs ops. */
function crossEntropy(logits: Tensor2D, labels: number[]): Tensor {
  const oneHot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1]), 'float32');
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)));
}

const smallText: TextConfig = {
  ...PRESETS['text-imdb'],
  vocabSize: 40,
  maxLength: 8,
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 2,
  mlpSize: 24,
  heads: 'per-layer',
  pooler: true,
  embeddingNorm: true,
};
const smallVit: VisionConfig = {
  ...PRESETS['vit-mnist'],
  imageSize: 8,
  patchSize: 4,
  numChannels: 2,
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 4,
  mlpSize: 24,
  numClasses: 3,
  labels: ['a', 'b', 'c'],
  heads: 'per-layer',
};

describe.each(['cpu', 'wasm'] as const)('gradients on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('GELU (exact and tanh) and their gradients match reference values', async () => {
    const x = tf.tensor1d(GELU_X);
    const [y, dy] = tf.tidy(() => [gelu(x), tf.grad((t: Tensor) => tf.sum(gelu(t)))(x)]);
    expect(maxAbsDiff(await y.data(), GELU)).toBeLessThan(1e-6);
    expect(maxAbsDiff(await dy.data(), GELU_GRAD)).toBeLessThan(1e-5);
    const [t, dt] = tf.tidy(() => [geluTanh(x), tf.grad((u: Tensor) => tf.sum(geluTanh(u)))(x)]);
    expect(maxAbsDiff(await t.data(), GELU_TANH)).toBeLessThan(1e-6);
    // d/dx ½x(1 + tanh u) = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²)
    const tanhGrad = GELU_X.map((v) => {
      const th = Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3));
      return (
        0.5 * (1 + th) +
        0.5 * v * (1 - th * th) * Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * v * v)
      );
    });
    expect(maxAbsDiff(await dt.data(), tanhGrad)).toBeLessThan(1e-5);
    tf.dispose([x, y, dy, t, dt]);
  });

  it.each([
    ['2-D', [5, 3], [3, 4]],
    ['4-D batched (attention)', [2, 3, 5, 4], [2, 3, 4, 6]],
  ])('matMul with explicit transposes has the gradient of tf.matMul (%s)', async (_, sa, sb) => {
    const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
    const a = tf.tensor(values(size(sa), 1), sa);
    const b = tf.tensor(values(size(sb), 2), sb);
    const outShape = [...sa.slice(0, -1), sb[sb.length - 1]];
    const r = tf.tensor(values(size(outShape), 3), outShape);
    const loss = (f: (x: Tensor, y: Tensor) => Tensor) => (x: Tensor, y: Tensor) =>
      tf.sum(tf.mul(f(x, y), r));
    const ours = tf.grads(loss((x, y) => matMul(x, y)))([a, b]);
    const theirs = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
    for (let i = 0; i < 2; i++) {
      expect(ours[i].shape).toEqual(theirs[i].shape);
      expect(maxAbsDiff(await ours[i].data(), await theirs[i].data())).toBeLessThan(1e-5);
    }
    tf.dispose([a, b, r, ...ours, ...theirs]);
  });

  it('the embedding lookup has gradient dE[v] = Σ over positions holding v of dY (repeats summed)', async () => {
    const [vocab, d] = [6, 3];
    const ids = [
      [1, 4, 1],
      [0, 1, 5],
    ];
    const table = tf.variable(tf.tensor2d(values(vocab * d, 4), [vocab, d]));
    const dy = values(2 * 3 * d, 5);
    const idsTensor = tf.tensor2d(ids, undefined, 'int32');
    const r = tf.tensor3d(dy, [2, 3, d]);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(tokenEmbed(idsTensor, table), r)) as tf.Scalar,
      [table],
    );
    const expected = new Float32Array(vocab * d);
    ids.flat().forEach((v, i) => {
      for (let k = 0; k < d; k++) expected[v * d + k] += dy[i * d + k];
    });
    expect(maxAbsDiff(await grads[table.name].data(), expected)).toBeLessThan(1e-6);
    tf.dispose([table, idsTensor, r, value, grads[table.name]]);
  });

  const models: [string, ModelConfig][] = [
    ['text (per-layer heads, pooler, embedding norm)', smallText],
    ['vit (per-layer heads)', smallVit],
  ];
  it.each(models)(
    'every parameter of a %s model gets a finite, non-zero gradient',
    async (_, config) => {
      const params = initParams(config, 7);
      const b = 3;
      let input: Parameters<typeof forward>[2];
      if (config.architecture === 'text') {
        const ids = tf.tensor2d(
          [1, 5, 9, 3, 0, 0, 7, 2, 2, 8, 11, 0, 4, 4, 4, 4, 4, 4],
          [b, 6],
          'int32',
        );
        const mask = tf.cast(tf.notEqual(ids, tf.scalar(0, 'int32')), 'float32') as Tensor2D;
        input = { kind: 'text', ids, mask };
      } else {
        const pixels = tf.tensor4d(values(b * 2 * 8 * 8, 6), [b, 2, 8, 8]) as Tensor4D;
        input = { kind: 'image', pixels };
      }
      const labels = [0, 1, 1];
      const { value, grads } = tf.variableGrads(() => {
        const capture = forward(params, config, input);
        const heads = [...capture.logits, ...(capture.layerHeadLogits ?? []), capture.finalLogits];
        return tf.addN(heads.map((logits) => crossEntropy(logits, labels))) as tf.Scalar;
      });
      expect(Number.isFinite((await value.data())[0])).toBe(true);
      const entries = paramEntries(params, config);
      expect(Object.keys(grads).length).toBe(entries.length);
      for (const { spec, variable } of entries) {
        const g = grads[(variable as Variable).name];
        const data = await g.data();
        expect(data.every(Number.isFinite), `${spec.name} finite`).toBe(true);
        expect(Math.max(...data.map(Math.abs)), `${spec.name} non-zero`).toBeGreaterThan(0);
      }
      tf.dispose([
        value,
        ...Object.values(grads),
        ...Object.values(input).filter((t) => t instanceof tf.Tensor),
      ]);
      disposeParams(params);
    },
  );
});
