import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { useSimdBatchMatMul } from '../wasmKernels';
import { simdBatchMatMulRuns } from './simdBatchMatMul';

/** A seeded uniform [-1, 1) fill, so failures reproduce. */
function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed;
  for (let i = 0; i < size; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 1073741824 - 1;
  }
  return out;
}

/** float64 reference of tf.matMul on rank-3 operands (a batch of 1 broadcasts). */
function reference(
  a: Float32Array,
  [ba, ra, ca]: number[],
  b: Float32Array,
  [bb, rb, cb]: number[],
  ta: boolean,
  tb: boolean,
): Float64Array {
  const [m, k, n] = [ta ? ca : ra, ta ? ra : ca, tb ? rb : cb];
  const batch = Math.max(ba, bb);
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let kk = 0; kk < k; kk++) {
          const av = a[(ba === 1 ? 0 : t * m * k) + (ta ? kk * m + i : i * k + kk)];
          const bv = b[(bb === 1 ? 0 : t * k * n) + (tb ? j * k + kk : kk * n + j)];
          sum += av * bv;
        }
        out[(t * m + i) * n + j] = sum;
      }
  return out;
}

function maxError(got: Float32Array, want: Float64Array): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  return worst;
}

describe('Strata’s SIMD BatchMatMul on wasm', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [3, 1, 17],
    [17, 16, 17],
    [17, 17, 16],
    [65, 3, 65],
    [1, 65, 3],
  ];
  for (const ta of [false, true])
    for (const tb of [false, true])
      it(`runs every size with transposeA=${ta}, transposeB=${tb} as a float64 reference`, async () => {
        for (const [m, k, n] of sizes) {
          const batch = 3;
          const aShape = ta ? [batch, k, m] : [batch, m, k];
          const bShape = tb ? [batch, n, k] : [batch, k, n];
          const av = values(batch * m * k, m + 7 * k);
          const bv = values(batch * k * n, n + 11 * k);
          const runs = simdBatchMatMulRuns();
          const y = tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), ta, tb);
          expect(simdBatchMatMulRuns()).toBe(runs + 1);
          expect(y.shape).toEqual([batch, m, n]);
          expect(
            maxError(await y.data<'float32'>(), reference(av, aShape, bv, bShape, ta, tb)),
          ).toBeLessThan(1e-5 * k);
          tf.dispose(y);
        }
      });

  // The kernel packs B a panel of 256 rows of k by 256 columns at a time, four rows of C at once.
  const block = 256;
  const blocked: [number, number, number][] = [
    [5, block - 1, 9],
    [6, block, 20],
    [7, block + 1, 3],
    [9, 2 * block + 3, 13],
    [4, 3, block + 1],
    [3, block + 1, 2 * block + 3],
  ];
  for (const ta of [false, true])
    for (const tb of [false, true])
      it(`crosses the k and n panels with transposeA=${ta}, transposeB=${tb} as a float64 reference`, async () => {
        for (const [m, k, n] of blocked) {
          const batch = 2;
          const aShape = ta ? [batch, k, m] : [batch, m, k];
          const bShape = tb ? [batch, n, k] : [batch, k, n];
          const av = values(batch * m * k, m + 7 * k);
          const bv = values(batch * k * n, n + 11 * k);
          const runs = simdBatchMatMulRuns();
          const y = tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), ta, tb);
          expect(simdBatchMatMulRuns()).toBe(runs + 1);
          const error = maxError(
            await y.data<'float32'>(),
            reference(av, aShape, bv, bShape, ta, tb),
          );
          expect(error, `[${m}, ${k}, ${n}]`).toBeLessThan(1e-4);
          tf.dispose(y);
        }
      });

  it('broadcasts a batch of one on either side, as tf.matMul does', async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[4, 17, 5], [5, 17], false, false], // [B, T, D] × [D, E]: one taller product
      [[4, 5, 17], [1, 3, 5], true, true],
      [[17, 5], [2, 3, 5, 17], false, false],
      [[1, 5, 17], [4, 5, 17], true, false],
      [[3, 300, 6], [300, 7], true, false], // one B's panels packed once for the batch
      [[1, 5, 300], [3, 300, 261], false, false],
    ];
    for (const [aShape, bShape, ta, tb] of cases) {
      const av = values(
        aShape.reduce((p, d) => p * d),
        3,
      );
      const bv = values(
        bShape.reduce((p, d) => p * d),
        5,
      );
      const runs = simdBatchMatMulRuns();
      const y = tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), ta, tb);
      expect(simdBatchMatMulRuns()).toBe(runs + 1);
      const a3 = [aShape.slice(0, -2).reduce((p, d) => p * d, 1), ...aShape.slice(-2)];
      const b3 = [bShape.slice(0, -2).reduce((p, d) => p * d, 1), ...bShape.slice(-2)];
      expect(maxError(await y.data<'float32'>(), reference(av, a3, bv, b3, ta, tb))).toBeLessThan(
        1e-4,
      );
      tf.dispose(y);
    }
  });

  it('leaves a 2-D product without transposes, and other dtypes, to tfjs’s kernel', async () => {
    const runs = simdBatchMatMulRuns();
    const y = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
    expect(Array.from(await y.data())).toEqual([19, 22, 43, 50]);
    expect(simdBatchMatMulRuns()).toBe(runs);
    tf.dispose(y);
  });

  it('gives attention’s gradients as tfjs’s kernel does', async () => {
    const [b, h, t, d] = [2, 3, 17, 16];
    const q = tf.tensor(values(b * h * t * d, 1), [b, h, t, d]);
    const k = tf.tensor(values(b * h * t * d, 2), [b, h, t, d]);
    const v = tf.tensor(values(b * h * t * d, 3), [b, h, t, d]);
    const w = tf.tensor(values(b * h * t * d, 4), [b, h, t, d]);
    const loss = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(tf.softmax(tf.matMul(qq, kk, false, true)), vv), w));
    const grads = () => tf.grads(loss)([q, k, v]);
    useSimdBatchMatMul(false);
    const want = grads();
    useSimdBatchMatMul(true);
    const runs = simdBatchMatMulRuns();
    const got = grads();
    expect(simdBatchMatMulRuns() - runs).toBeGreaterThanOrEqual(5); // 2 forward, 4 backward
    for (let i = 0; i < 3; i++) {
      const [g, r] = [await got[i].data(), await want[i].data()];
      let worst = 0;
      for (let j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[j] - r[j]));
      expect(worst).toBeLessThan(1e-4);
    }
    tf.dispose([q, k, v, w, ...got, ...want]);
  });

  it('packs B a panel at a time: a linear layer’s xᵀ·dy needs 260 KiB of scratch, not all of dy', () => {
    const wasm = (tf.backend() as unknown as { wasm: { _malloc(bytes: number): number } }).wasm;
    const x = tf.zeros([2176, 64]);
    const dy = tf.zeros([2176, 256]);
    const malloc = wasm._malloc;
    const sizes: number[] = [];
    wasm._malloc = (bytes) => (sizes.push(bytes), malloc(bytes));
    const runs = simdBatchMatMulRuns();
    try {
      tf.dispose(tf.matMul(x, dy, true, false));
    } finally {
      wasm._malloc = malloc;
      tf.dispose([x, dy]);
    }
    expect(simdBatchMatMulRuns()).toBe(runs + 1);
    // The output [64, 256], then four rows of x and one panel of dy (dy whole: 2176 · 256 · 4 bytes).
    expect(sizes).toEqual([64 * 256 * 4, (256 * 4 + 256 * 256) * 4]);
  });

  it('frees what it allocates and reads tensors allocated after the memory grew', async () => {
    const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
    const a = tf.tensor(values(2 * 64 * 512, 9), [2, 64, 512]);
    const b = tf.tensor(values(2 * 512 * 512, 10), [2, 512, 512]);
    tf.dispose(tf.matMul(a, b, false, true)); // settles the heap: 256 KiB of scratch a call
    const tensors = tf.memory().numTensors;
    const heap = backend.wasm.HEAPU8.buffer.byteLength;
    for (let i = 0; i < 40; i++) tf.dispose(tf.matMul(a, b, false, true));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.wasm.HEAPU8.buffer.byteLength).toBe(heap);

    const big = tf.zeros([heap / 4 + 1]); // forces the memory to grow
    expect(backend.wasm.HEAPU8.buffer.byteLength).toBeGreaterThan(heap);
    const av = values(4 * 17 * 16, 12);
    const bv = values(4 * 16 * 17, 13);
    const y = tf.matMul(tf.tensor(av, [4, 17, 16]), tf.tensor(bv, [4, 16, 17]));
    const want = reference(av, [4, 17, 16], bv, [4, 16, 17], false, false);
    expect(maxError(await y.data<'float32'>(), want)).toBeLessThan(1e-4);
    tf.dispose([a, b, big, y]);
  });

  it('runs bytes assembled from batchMatMul.wat as it now reads', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/assemble-wasm.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
