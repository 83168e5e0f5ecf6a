// Strata's SIMD BatchMatMul against tfjs-backend-wasm's own, alternating in one Node process
// (the machine's load moves; only figures of one run compare): attention's products, their
// gradients' products with explicit transposes or flags, then W2's training step (default ViT,
// aligned loss, batch 128; the step's code as it is now, so its batched gradients pass flags,
// which tfjs's kernel runs slowly: compare a step with the commit before too).
// node scripts/node-ts.mjs scripts/bench/batchMatMulAb.ts [ROUNDS]
import { loadavg } from 'node:os';
import { initNodeBackend } from '../../src/engine/nodeBackend';
import { tf } from '../../src/engine/tf';
import { swapLastAxes } from '../../src/engine/model/matmul';
import { useSimdBatchMatMul } from '../../src/engine/wasmKernels';
import { vitTrainer } from './node/training';

const rounds = Number(process.argv[2] ?? 6);
const kernels = ['tfjs', 'simd'] as const;
const load = () => loadavg()[0].toFixed(1);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0].toFixed(2)} median ${s[Math.floor(s.length / 2)].toFixed(2)} ms`;
};

async function timed(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

await initNodeBackend('wasm');
console.log(`load ${load()} at start`);
const products: [string, number[], number[]][] = [
  ['ViT q·kᵀ 512 × [17,16]×[16,17]', [512, 17, 16], [512, 16, 17]],
  ['ViT weights·v 512 × [17,17]×[17,16]', [512, 17, 17], [512, 17, 16]],
  ['BERT-like q·kᵀ 48 × [128,64]×[64,128]', [48, 128, 64], [48, 64, 128]],
  ['BERT-like weights·v 48 × [128,128]×[128,64]', [48, 128, 128], [48, 128, 64]],
];
for (const [name, aShape, bShape] of products) {
  const a = tf.randomNormal(aShape);
  const b = tf.randomNormal(bShape);
  const times: Record<string, number[]> = { tfjs: [], simd: [] };
  // Rounds below 0 warm up: V8 first runs wasm on its baseline compiler, then tiers up.
  for (let r = -20; r < rounds * 5; r++)
    for (const kernel of kernels) {
      useSimdBatchMatMul(kernel === 'simd');
      const ms = await timed(async () => {
        const y = tf.matMul(a, b);
        await y.data();
        y.dispose();
      });
      if (r >= 0) times[kernel].push(ms);
    }
  tf.dispose([a, b]);
  for (const kernel of kernels) console.log(`${name}, ${kernel}: ${stats(times[kernel])}`);
}

// Attention's gradient products on the SIMD kernel: explicit transposes (matMul's gradient before)
// against transpose flags (now, for batched operands).
for (const [name, xShape, yShape] of products.slice(0, 2).map(([n, a, b]) => [n, a, b] as const)) {
  const x = tf.randomNormal([...xShape]);
  const y = tf.randomNormal([...yShape]);
  const dz = tf.randomNormal([...xShape.slice(0, -1), yShape[2]]);
  const times: Record<string, number[]> = { explicit: [], flags: [] };
  for (let r = -20; r < rounds * 5; r++)
    for (const mode of ['explicit', 'flags'] as const) {
      const ms = await timed(async () => {
        const grads = tf.tidy(() =>
          mode === 'flags'
            ? [tf.matMul(dz, y, false, true), tf.matMul(x, dz, true, false)]
            : [tf.matMul(dz, swapLastAxes(y)), tf.matMul(swapLastAxes(x), dz)],
        );
        await Promise.all(grads.map((g) => g.data()));
        tf.dispose(grads);
      });
      if (r >= 0) times[mode].push(ms);
    }
  tf.dispose([x, y, dz]);
  for (const mode of ['explicit', 'flags'])
    console.log(`gradient of ${name}, ${mode} transposes: ${stats(times[mode])}`);
}

useSimdBatchMatMul(true);
const { trainer } = vitTrainer(128);
const steps: Record<string, number[]> = { tfjs: [], simd: [] };
for (let r = -1; r < rounds; r++)
  for (const kernel of kernels) {
    useSimdBatchMatMul(kernel === 'simd');
    const ms = await timed(async () => void (await trainer.trainStep()));
    if (r >= 0) steps[kernel].push(ms); // round -1 warms up
  }
for (const kernel of kernels) console.log(`W2 step, batch 128, ${kernel}: ${stats(steps[kernel])}`);
console.log(`load ${load()} at end`);
trainer.dispose();
