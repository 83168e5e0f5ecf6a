// Strata's SIMD BatchMatMul against the routes it replaces, alternating in one Node process
// (the machine's load moves; only figures of one run compare): attention's products against
// tfjs's kernel; their gradients' products with explicit transposes or flags; the linear layers'
// 2-D products of W2's step (x·W, dy·Wᵀ, xᵀ·dy) on XNNPACK (explicit transposes) or on the SIMD
// kernel (flags); then W2's training step (default ViT, aligned loss, batch 128; the step's code
// as it is now, so its gradients pass flags, which tfjs's kernel runs slowly: compare a step
// with the commit before too).
// node scripts/node-ts.mjs scripts/bench/batchMatMulAb.ts [ROUNDS] [SECTIONS]
// SECTIONS: comma-separated of attention, gradients, linear, step (all by default).
import { loadavg } from 'node:os';
import { initNodeBackend } from '../../src/engine/nodeBackend';
import { tf } from '../../src/engine/tf';
import type { Tensor } from '../../src/engine/tf';
import { swapLastAxes } from '../../src/engine/model/matmul';
import { useSimdBatchMatMul } from '../../src/engine/wasmKernels';
import { vitTrainer } from './node/training';

const rounds = Number(process.argv[2] ?? 6);
const sections = new Set((process.argv[3] ?? 'attention,gradients,linear,step').split(','));
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

/**
 * Times each route's products (read back, then disposed) in turn, rounds·5 times after 20
 * warm-ups (V8 first runs wasm on its baseline compiler, then tiers up), and prints min / median.
 * A route's `simd` says which BatchMatMul kernel it runs on.
 */
async function alternate(
  name: string,
  routes: Record<string, { simd: boolean; run: () => Tensor[] }>,
): Promise<void> {
  const times: Record<string, number[]> = {};
  for (let r = -20; r < rounds * 5; r++)
    for (const [route, { simd, run }] of Object.entries(routes)) {
      useSimdBatchMatMul(simd);
      const ms = await timed(async () => {
        const ys = tf.tidy(run);
        await Promise.all(ys.map((y) => y.data()));
        tf.dispose(ys);
      });
      if (r >= 0) (times[route] ??= []).push(ms);
    }
  for (const route of Object.keys(routes)) console.log(`${name}, ${route}: ${stats(times[route])}`);
}

await initNodeBackend('wasm');
console.log(`load ${load()} at start`);
const products: [string, number[], number[]][] = [
  ['ViT q·kᵀ 512 × [17,16]×[16,17]', [512, 17, 16], [512, 16, 17]],
  ['ViT weights·v 512 × [17,17]×[17,16]', [512, 17, 17], [512, 17, 16]],
  ['BERT-like q·kᵀ 48 × [128,64]×[64,128]', [48, 128, 64], [48, 64, 128]],
  ['BERT-like weights·v 48 × [128,128]×[128,64]', [48, 128, 128], [48, 128, 64]],
];
if (sections.has('attention'))
  for (const [name, aShape, bShape] of products) {
    const [a, b] = [tf.randomNormal(aShape), tf.randomNormal(bShape)];
    const run = () => [tf.matMul(a, b)];
    await alternate(name, { tfjs: { simd: false, run }, simd: { simd: true, run } });
    tf.dispose([a, b]);
  }

// Attention's gradient products on the SIMD kernel: explicit transposes (matMul's gradient before)
// against transpose flags (now, for batched operands).
if (sections.has('gradients'))
  for (const [name, xShape, yShape] of products.slice(0, 2)) {
    const x = tf.randomNormal(xShape);
    const y = tf.randomNormal(yShape);
    const dz = tf.randomNormal([...xShape.slice(0, -1), yShape[2]]);
    await alternate(`gradient of ${name}`, {
      'explicit transposes': {
        simd: true,
        run: () => [tf.matMul(dz, swapLastAxes(y)), tf.matMul(swapLastAxes(x), dz)],
      },
      flags: {
        simd: true,
        run: () => [tf.matMul(dz, y, false, true), tf.matMul(x, dz, true, false)],
      },
    });
    tf.dispose([x, y, dz]);
  }

// W2's linear layers, N = batch 128 · 17 tokens rows: [N, in]·[in, out] and its two gradient
// products. XNNPACK runs 2-D products without flags; the SIMD kernel takes flags, and a forward
// x·W as [2, N/2, in]·[in, out] (one taller product there, the same work).
const rows = 128 * 17;
if (sections.has('linear'))
  for (const [inDim, outDim] of [
    [64, 64],
    [64, 128],
    [128, 64],
    [64, 256],
  ]) {
    const x = tf.randomNormal([rows, inDim]);
    const w = tf.randomNormal([inDim, outDim]);
    const dy = tf.randomNormal([rows, outDim]);
    const shape = `[${rows},${inDim}]·[${inDim},${outDim}]`;
    await alternate(`x·W ${shape}`, {
      XNNPACK: { simd: true, run: () => [tf.matMul(x, w)] },
      SIMD: { simd: true, run: () => [tf.matMul(tf.reshape(x, [2, rows / 2, inDim]), w)] },
    });
    await alternate(`dy·Wᵀ of ${shape}`, {
      'XNNPACK, explicit transpose': { simd: true, run: () => [tf.matMul(dy, swapLastAxes(w))] },
      'SIMD, flag': { simd: true, run: () => [tf.matMul(dy, w, false, true)] },
    });
    await alternate(`xᵀ·dy of ${shape}`, {
      'XNNPACK, explicit transpose': { simd: true, run: () => [tf.matMul(swapLastAxes(x), dy)] },
      'SIMD, flag': { simd: true, run: () => [tf.matMul(x, dy, true, false)] },
    });
    tf.dispose([x, w, dy]);
  }

if (sections.has('step')) {
  useSimdBatchMatMul(true);
  const { trainer } = vitTrainer(128);
  const steps: Record<string, number[]> = { tfjs: [], simd: [] };
  for (let r = -1; r < rounds; r++)
    for (const kernel of ['tfjs', 'simd'] as const) {
      useSimdBatchMatMul(kernel === 'simd');
      const ms = await timed(async () => void (await trainer.trainStep()));
      if (r >= 0) steps[kernel].push(ms); // round -1 warms up
    }
  for (const kernel of ['tfjs', 'simd'])
    console.log(`W2 step, batch 128, ${kernel}: ${stats(steps[kernel])}`);
  trainer.dispose();
}
console.log(`load ${load()} at end`);
