import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor, Variable } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { disposeParams, initParams, paramVariables } from '../model/params';
import { AdamW } from './adamw';
import { planBuckets } from './adamwBuckets';
import type { VisionConfig } from '../model/config';

const TINY_VIT: VisionConfig = {
  architecture: 'vit',
  imageSize: 8,
  patchSize: 4,
  numChannels: 1,
  hiddenSize: 16,
  numLayers: 3,
  numHeads: 2,
  mlpSize: 32,
  numClasses: 4,
  labels: ['a', 'b', 'c', 'd'],
  layerNormEps: 1e-6,
  activation: 'gelu',
  norm: 'pre',
  qkvBias: true,
  embeddingNorm: false,
  finalNorm: true,
  pooler: false,
  heads: 'shared',
  pooling: 'cls',
};

/** The update as Strata made it before the flat buckets: ~18 kernels per variable. */
function referenceStep(
  ps: Variable[],
  m: Tensor[],
  v: Tensor[],
  grads: (Tensor | null)[],
  t: number,
  lr: number,
  { wd, clip }: { wd: number; clip: number },
): void {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const [c1, c2] = [1 - b1 ** t, 1 - b2 ** t];
  tf.tidy(() => {
    const present = grads.filter((g): g is Tensor => g != null);
    const norm = tf.sqrt(tf.addN(present.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.minimum(1, tf.div(clip, tf.add(norm, 1e-6)));
    ps.forEach((p, i) => {
      const grad = grads[i];
      if (grad == null) return;
      const g = tf.mul(grad, scale);
      const mi = tf.add(tf.mul(m[i], b1), tf.mul(g, 1 - b1));
      const vi = tf.add(tf.mul(v[i], b2), tf.mul(tf.square(g), 1 - b2));
      m[i].dispose();
      v[i].dispose();
      m[i] = tf.keep(mi);
      v[i] = tf.keep(vi);
      let update = tf.div(tf.div(mi, c1), tf.add(tf.sqrt(tf.div(vi, c2)), eps));
      if (p.rank >= 2) update = tf.add(update, tf.mul(p, wd));
      p.assign(tf.sub(p, tf.mul(update, lr)));
    });
  });
}

async function maxDiff(a: Tensor[], b: Tensor[]): Promise<number> {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [await a[i].data(), await b[i].data()];
    for (let j = 0; j < x.length; j++) max = Math.max(max, Math.abs(x[j] - y[j]));
  }
  return max;
}

/** Seeded gradients in every variable's shape, large enough that clipping to 1 scales them. */
const seededGrads = (ps: Variable[], step: number) =>
  ps.map((p, i) => tf.randomNormal(p.shape, 0, 0.5, 'float32', 1000 * step + i));

describe('AdamW in flat buckets', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('makes the weights and moments the per-variable update made, within 1e-6, over 5 steps', async () => {
    const ours = initParams(TINY_VIT, 7);
    const theirs = initParams(TINY_VIT, 7);
    const [a, b] = [paramVariables(ours), paramVariables(theirs)];
    const options = { wd: 0.05, clip: 1 };
    const optimizer = new AdamW(a, { weightDecay: options.wd, clipNorm: options.clip });
    const m = b.map((p) => tf.zerosLike(p));
    const v = b.map((p) => tf.zerosLike(p));
    for (let t = 1; t <= 5; t++) {
      // Step 3 leaves one matrix and one bias without a gradient: both must stay as they are.
      const grads = seededGrads(a, t).map((g, i) => (t === 3 && (i === 0 || i === 1) ? null : g));
      tf.dispose(optimizer.apply(grads, 1e-2));
      referenceStep(b, m, v, grads, t, 1e-2, options);
      tf.dispose(grads.filter((g): g is Tensor => g != null));
    }
    expect(await maxDiff(a, b)).toBeLessThan(1e-6);
    const initial = initParams(TINY_VIT, 7);
    expect(await maxDiff(a, paramVariables(initial))).toBeGreaterThan(1e-3);
    disposeParams(initial);
    const state = optimizer.captureState();
    expect(state.m.map((x) => x.shape)).toEqual(a.map((p) => p.shape));
    expect(await maxDiff(state.m, m)).toBeLessThan(1e-6);
    expect(await maxDiff(state.v, v)).toBeLessThan(1e-6);
    tf.dispose([...state.m, ...state.v, ...m, ...v]);
    optimizer.dispose();
    disposeParams(ours);
    disposeParams(theirs);
  });

  it('updates a model in a few dozen kernels, not ~18 per variable', async () => {
    const params = initParams(TINY_VIT, 1);
    const variables = paramVariables(params);
    const optimizer = new AdamW(variables, { weightDecay: 0.01, clipNorm: 1 });
    const grads = seededGrads(variables, 1);
    const profile = await tf.profile(() => {
      tf.dispose(optimizer.apply(grads, 1e-3));
    });
    const kernels = profile.kernels.filter((k) => k.name !== 'Reshape').length;
    expect(variables.length).toBeGreaterThan(30);
    expect(kernels).toBeLessThan(40);
    tf.dispose(grads);
    optimizer.dispose();
    disposeParams(params);
  });

  it('groups variables in order into buckets of a bounded size, a larger one alone', () => {
    const vars = [3, 5, 2, 9, 1].map((n) => ({ size: n }) as Variable);
    expect(planBuckets(vars, 8)).toEqual([[0, 1], [2], [3], [4]]);
    expect(planBuckets(vars, 100)).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('round-trips its moments through captureState and restoreState across several buckets', async () => {
    const params = initParams(TINY_VIT, 2);
    const variables = paramVariables(params);
    const optimizer = new AdamW(variables);
    const grads = seededGrads(variables, 9);
    tf.dispose(optimizer.apply(grads, 1e-3));
    const saved = optimizer.captureState();
    const arrays = {
      step: saved.step,
      m: await Promise.all(saved.m.map((x) => x.data())),
      v: await Promise.all(saved.v.map((x) => x.data())),
    };
    const other = new AdamW(variables);
    other.restoreState(arrays);
    const back = other.captureState();
    expect(back.step).toBe(1);
    expect(await maxDiff(back.m, saved.m)).toBe(0);
    expect(await maxDiff(back.v, saved.v)).toBe(0);
    tf.dispose([...grads, ...saved.m, ...saved.v, ...back.m, ...back.v]);
    optimizer.dispose();
    other.dispose();
    disposeParams(params);
  });
});
