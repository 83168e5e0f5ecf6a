// Strata's SIMD BatchMatMul against tfjs-backend-wasm's own, alternating in one Node process
// (the machine's load moves; only figures of one run compare): attention's products, then W2's
// training step (default ViT, aligned loss, batch 128).
// node scripts/node-ts.mjs scripts/bench/batchMatMulAb.ts [ROUNDS]
import { loadavg } from 'node:os';
import { initNodeBackend } from '../../src/engine/nodeBackend';
import { tf } from '../../src/engine/tf';
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
