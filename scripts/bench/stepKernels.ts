// Kernels and time of one W2 training step (default ViT, aligned loss, AdamW) on Node wasm:
// node scripts/node-ts.mjs scripts/bench/stepKernels.ts [BATCH] [STEPS]
// Prints the kernel count by name of one profiled step, then the median of STEPS timed steps.
import { initNodeBackend } from '../../src/engine/nodeBackend';
import { tf } from '../../src/engine/tf';
import { disposeParams } from '../../src/engine/model/params';
import { kernelShares, vitTrainer } from './node/training';

const batch = Number(process.argv[2] ?? 128);
const steps = Number(process.argv[3] ?? 10);
await initNodeBackend('wasm');
const { model, trainer } = vitTrainer(batch);
for (let i = 0; i < 3; i++) await trainer.trainStep();
const info = await tf.profile(async () => {
  await trainer.trainStep();
  return [];
});
const backend = tf.getBackend();
const own = info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined);
const shares = kernelShares(own);
const kernelMs = shares.reduce((s, k) => s + k.ms, 0);
console.log(`kernels ${own.length}, kernel time ${kernelMs.toFixed(1)} ms`);
for (const k of shares.slice(0, 14))
  console.log(`  ${k.kernel.padEnd(16)} ${String(k.calls).padStart(5)} ${k.ms.toFixed(1)} ms`);
const times: number[] = [];
for (let i = 0; i < steps; i++) {
  const start = performance.now();
  await trainer.trainStep();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `step median ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}, ${steps} steps)`,
);
trainer.dispose();
disposeParams(model.params);
