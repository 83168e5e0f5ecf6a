// Procrustes, SVCCA and mutual k-NN on W1's shape (13 layers × 4096 × 256, seed 42): Strata on
// Node wasm (analyzeLayers) beside the NumPy reference (bench/reference/similarity.py), one run
// each, with the largest difference. Run: node scripts/node-ts.mjs scripts/bench/crossMeasures.ts
// (PYTHON=… for the interpreter; default python3). The same jobs are part of W1 in bench/run.ts.
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '../../src/engine/io/npy';
import { initNodeBackend } from '../../src/engine/nodeBackend';
import { analyzeLayers } from '../../src/engine/pipeline/analyze';
import { tf } from '../../src/engine/tf';
import { stackedLayers } from './data';

const [L, N, D] = [13, 4096, 256];
const data = stackedLayers(L, N, D, 42);
const input = join(await mkdtemp(join(tmpdir(), 'strata-cross-')), 'w1.npy');
await writeFile(input, writeNpy({ name: 'layers', dtype: 'float32', shape: [L, N, D], data }));
await initNodeBackend('wasm');
const layers = Array.from({ length: L }, (_, l) => ({
  name: `layer_${l}`,
  n: N,
  d: D,
  data: data.subarray(l * N * D, (l + 1) * N * D),
}));
for (const metric of ['procrustes', 'svcca', 'knn'] as const) {
  const before = tf.memory().numTensors;
  const start = performance.now();
  const report = await analyzeLayers(layers, [metric]);
  const strataMs = performance.now() - start;
  const args = ['bench/reference/similarity.py', input, '--metrics', metric, '--warmup', '0'];
  const out = execFileSync(process.env.PYTHON ?? 'python3', [...args, '--reps', '1'], {
    maxBuffer: 1 << 26,
  });
  const reference = JSON.parse(out.toString());
  let diff = 0;
  report.metrics[metric]!.forEach((row, i) =>
    row.forEach((v, j) => {
      diff = Math.max(diff, Math.abs((v ?? Number.NaN) - reference.matrices[metric][i][j]));
    }),
  );
  const numpyMs = reference.times_ms[0];
  const tensorsLeft = tf.memory().numTensors - before;
  console.log(JSON.stringify({ metric, strataMs, numpyMs, diff, tensorsLeft }));
}
