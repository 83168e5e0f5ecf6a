// Mutual k-NN's neighbour search before and after the top-k change, side by side with the NumPy
// reference, in one run on W1's layers (13 × 4096 × 256, seed 42): "before" is the previous
// search (an N-wide mask on the device keeps each sample from its own list, then tf.topk of k),
// kept here as the baseline; "after" is nearestNeighbours (tf.topk of k + 1, the sample dropped
// on the host). Each layer runs before, after, after, before (drift on a shared machine falls on
// both alike); the lists must be equal. Run: node scripts/node-ts.mjs scripts/bench/knnBeforeAfter.ts
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '../../src/engine/io/npy';
import { centreColumns } from '../../src/engine/metrics/centre';
import { unitRows } from '../../src/engine/metrics/cosine';
import {
  KNN_BLOCK_FLOATS,
  mutualKnnFromLists,
  nearestNeighbours,
} from '../../src/engine/metrics/mutualKnn';
import { initNodeBackend } from '../../src/engine/nodeBackend';
import { tf, type Tensor2D } from '../../src/engine/tf';
import { stackedLayers } from './data';

/** The previous search: the sample masked out on the device (−4 on its own cosine). */
async function maskedSearch(x: Tensor2D, k: number): Promise<Int32Array> {
  const n = x.shape[0];
  const { unit, unitT } = tf.tidy(() => {
    const u = unitRows(centreColumns(x)).unit;
    return { unit: u, unitT: tf.transpose(u) as Tensor2D };
  });
  const out = new Int32Array(n * k);
  const block = Math.max(1, Math.min(n, Math.floor(KNN_BLOCK_FLOATS / n)));
  for (let start = 0; start < n; start += block) {
    const b = Math.min(block, n - start);
    const idx = tf.tidy(() => {
      const sims = tf.matMul(tf.slice(unit, [start, 0], [b, -1]), unitT);
      const self = tf.oneHot(tf.range(start, start + b, 1, 'int32'), n);
      return tf.topk(tf.sub(sims, tf.mul(self, 4)), k).indices;
    });
    out.set(await idx.data(), start * k);
    idx.dispose();
  }
  unit.dispose();
  unitT.dispose();
  return out;
}

const [L, N, D, K] = [13, 4096, 256, 10];
const data = stackedLayers(L, N, D, 42);
const input = join(await mkdtemp(join(tmpdir(), 'strata-knn-')), 'w1.npy');
await writeFile(input, writeNpy({ name: 'layers', dtype: 'float32', shape: [L, N, D], data }));
await initNodeBackend('wasm');
const layers = Array.from({ length: L }, (_, l) =>
  tf.tensor2d(data.subarray(l * N * D, (l + 1) * N * D), [N, D]),
);
const load = [loadavg()[0]];
const ms = { before: 0, after: 0 };
let differing = 0;
const lists: Int32Array[] = [];
const timed = async (which: 'before' | 'after', x: Tensor2D) => {
  const t = performance.now();
  const out = await (which === 'before' ? maskedSearch(x, K) : nearestNeighbours(x, K));
  ms[which] += (performance.now() - t) / 2;
  return out;
};
for (const x of layers) {
  const a = await timed('before', x);
  const b = await timed('after', x);
  await timed('after', x);
  await timed('before', x);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
  lists.push(b);
}
const t = performance.now();
for (let l = 0; l < L; l++)
  for (let m = l; m < L; m++) mutualKnnFromLists(lists[l], lists[m], N, K);
const pairsMs = performance.now() - t;
load.push(loadavg()[0]);
const args = ['bench/reference/similarity.py', input, '--metrics', 'knn', '--warmup', '0'];
const out = execFileSync(process.env.PYTHON ?? 'python3', [...args, '--reps', '1'], {
  maxBuffer: 1 << 26,
});
const numpyMs = JSON.parse(out.toString()).times_ms[0] as number;
load.push(loadavg()[0]);
const before = ms.before + pairsMs;
const after = ms.after + pairsMs;
console.log(
  JSON.stringify({
    beforeMs: Math.round(before),
    afterMs: Math.round(after),
    numpyMs: Math.round(numpyMs),
    afterOverBefore: +(after / before).toFixed(3),
    beforeOverNumpy: +(before / numpyMs).toFixed(3),
    afterOverNumpy: +(after / numpyMs).toFixed(3),
    listEntriesDiffering: differing,
    loadAverages: load,
  }),
);
