// Strata's SIMD BatchMatMul against the routes it replaces, alternating in one Node process
// (the machine's load moves; only figures of one run compare): attention's products against
// tfjs's kernel; their gradients' products with explicit transposes or flags; the linear layers'
// 2-D products of W2's step (x·W, dy·Wᵀ, xᵀ·dy) on XNNPACK (explicit transposes) or on the SIMD
// kernel (flags); then W2's training step (default ViT, aligned loss, batch 128) on tfjs's kernel,
// on the SIMD kernel with the 2-D gradients' products sent to XNNPACK with explicit transposes
// (as before they passed flags), and on the SIMD kernel with flags (now).
// node scripts/node-ts.mjs scripts/bench/batchMatMulAb.ts [ROUNDS] [SECTIONS]
// SECTIONS: comma-separated of attention, gradients, linear, step (all by default).
import { loadavg } from 'node:os';
import { initNodeBackend } from '../../src/engine/nodeBackend';
import { tf } from '../../src/engine/tf';
import type { Tensor } from '../../src/engine/tf';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
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

/**
 * BatchMatMul as matMul's 2-D gradients ran before they passed flags: a 2-D product with a flag
 * transposes its operand (Transpose kernel) and runs on tfjs's kernel (XNNPACK); the rest on
 * `simd`. A W2 step on it against one on `simd` measures that routing alone.
 */
function explicit2d(simd: KernelConfig, tfjs: KernelConfig): KernelConfig {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('batchMatMulAb.ts explicit2d: no Transpose kernel on wasm');
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (a.shape.length !== 2 || b.shape.length !== 2 || (!transposeA && !transposeB))
      return simd.kernelFunc(args);
    const swap = (x: TensorInfo, on: boolean) =>
      on
        ? (transpose.kernelFunc({ ...args, inputs: { x }, attrs: { perm: [1, 0] } }) as TensorInfo)
        : x;
    const [at, bt] = [swap(a, transposeA), swap(b, transposeB)];
    const attrs = { ...args.attrs, transposeA: false, transposeB: false };
    const out = tfjs.kernelFunc({ ...args, inputs: { a: at, b: bt }, attrs });
    for (const [t, x] of [
      [at, a],
      [bt, b],
    ])
      if (t !== x) (args.backend as { disposeData(id: object): void }).disposeData(t.dataId);
    return out;
  };
  return { ...simd, kernelFunc };
}

if (sections.has('step')) {
  useSimdBatchMatMul(false);
  const tfjsKernel = tf.getKernel('BatchMatMul', 'wasm');
  useSimdBatchMatMul(true);
  const simdKernel = tf.getKernel('BatchMatMul', 'wasm');
  if (!tfjsKernel || !simdKernel) throw new Error('batchMatMulAb.ts: no BatchMatMul on wasm');
  const routes: Record<string, KernelConfig> = {
    'tfjs kernel': tfjsKernel,
    'SIMD kernel, 2-D gradients on XNNPACK with explicit transposes': explicit2d(
      simdKernel,
      tfjsKernel,
    ),
    'SIMD kernel, flags': simdKernel,
  };
  const { trainer } = vitTrainer(128);
  // Wall time, and this process's CPU time (less moved by other processes on a loaded machine).
  const [steps, cpu]: Record<string, number[]>[] = [{}, {}];
  for (let r = -1; r < rounds; r++)
    for (const [route, kernel] of Object.entries(routes)) {
      tf.unregisterKernel('BatchMatMul', 'wasm');
      tf.registerKernel(kernel);
      const cpu0 = process.cpuUsage();
      const ms = await timed(async () => void (await trainer.trainStep()));
      const { user, system } = process.cpuUsage(cpu0);
      if (r < 0) continue; // round -1 warms up
      (steps[route] ??= []).push(ms);
      (cpu[route] ??= []).push((user + system) / 1000);
    }
  for (const route of Object.keys(routes))
    console.log(`W2 step, batch 128, ${route}: ${stats(steps[route])}; CPU ${stats(cpu[route])}`);
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(simdKernel);
  trainer.dispose();
}
console.log(`load ${load()} at end`);
