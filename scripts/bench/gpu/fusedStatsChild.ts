// Run by fusedStats.test.ts in a Node process of its own (Dawn finds its Vulkan driver only at
// process start): node scripts/node-ts.mjs scripts/bench/gpu/fusedStatsChild.ts
// Computes similarityMatrices on WebGPU (Strata's WGSL programs) and on wasm for the same layers,
// counts the WebGPU work, and prints one JSON line; `{"adapter": null}` where Dawn finds no adapter.
import { countsBetween, installGpuCounter, type GpuCounts } from './counter';
import { initNodeBackend } from '../../../src/engine/nodeBackend';
import { analyzeLayers } from '../../../src/engine/pipeline/analyze';
import { tf } from '../../../src/engine/tf';
import type { Tensor2D } from '../../../src/engine/tf';
import { similarityMatrices } from '../../../src/engine/metrics/similarity';
import type { SimilarityMetric } from '../../../src/engine/metrics/types';

export interface FusedCase {
  name: string;
  metrics: SimilarityMetric[];
  batchSize: number;
}

export interface FusedRun {
  matrices: Record<string, (number | null)[][]>;
  gpu?: GpuCounts;
  tensorsLeft: number;
}

export interface FusedReport {
  adapter: string | null;
  webgpu: Record<string, FusedRun>;
  wasm: Record<string, FusedRun>;
  /** What similarityMatrices threw on WebGPU for a layer holding NaN and ∞. */
  nonFiniteError: string;
  /** WebGPU work of analyzeLayers (cosine and linear CKA) on the equal-width layers. */
  analyze: GpuCounts;
}

/** Deterministic values in [-1, 1): a linear congruential generator. */
function values(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Layers of n rows: widths as given; layer 1 has a zero row, layer 2 large values. */
export function fixtureLayers(n: number, widths: readonly number[]): Float32Array[] {
  return widths.map((d, l) => {
    const x = values(n * d, 7 + l);
    // Later layers mix in the first one, so that pairs are correlated as in a network.
    if (l > 0) for (let i = 0; i < Math.min(d, widths[0]) * n; i++) x[i] += 0.5 * l * x[i % d];
    if (l === 1) x.fill(0, 3 * d, 4 * d);
    if (l === 2) for (let i = 0; i < x.length; i++) x[i] *= 1000;
    return x;
  });
}

export const CASES: {
  name: string;
  n: number;
  widths: number[];
  metrics: SimilarityMetric[];
  batchSize?: number;
}[] = [
  {
    name: 'equal widths',
    n: 70,
    widths: [24, 24, 24, 24, 24],
    metrics: ['cosine', 'cka', 'cka-debiased', 'cka-minibatch'],
  },
  { name: 'mixed widths', n: 37, widths: [20, 33, 8], metrics: ['cka', 'cka-minibatch'] },
  // Batches narrower than the layers: wasm takes the Gram path here, WebGPU the fused one.
  { name: 'small batches', n: 40, widths: [64, 64, 64], metrics: ['cka-minibatch'], batchSize: 16 },
];

const BATCH = 32;

async function runAll(): Promise<Record<string, FusedRun>> {
  const out: Record<string, FusedRun> = {};
  for (const c of CASES) {
    const layers = fixtureLayers(c.n, c.widths).map(
      (x, l) => tf.tensor2d(x, [c.n, c.widths[l]]) as Tensor2D,
    );
    const before = tf.memory().numTensors;
    const start = counter?.snapshot();
    const result = await similarityMatrices(layers, c.metrics, {
      batchSize: c.batchSize ?? BATCH,
    });
    const end = counter?.snapshot();
    const gpu = start && end ? countsBetween(start, end) : undefined;
    out[c.name] = {
      matrices: Object.fromEntries(Object.entries(result).map(([m, r]) => [m, r.values])),
      gpu,
      tensorsLeft: tf.memory().numTensors - before,
    };
    layers.forEach((x) => x.dispose());
  }
  return out;
}

let counter: ReturnType<typeof installGpuCounter> | null = null;

async function main(): Promise<void> {
  const gpu = await initNodeBackend('webgpu');
  if (gpu.name !== 'webgpu') {
    process.stdout.write(`${JSON.stringify({ adapter: null })}\n`);
    return;
  }
  counter = installGpuCounter(globalThis as Parameters<typeof installGpuCounter>[0]);
  const webgpu = await runAll();
  const { n, widths } = CASES[0];
  const start = counter.snapshot();
  await analyzeLayers(
    fixtureLayers(n, widths).map((data, l) => ({ name: `l${l}`, n, d: widths[l], data })),
    ['cosine', 'cka'],
  );
  const analyze = countsBetween(start, counter.snapshot());
  const bad = fixtureLayers(8, [4, 4]).map((x) => tf.tensor2d(x, [8, 4]) as Tensor2D);
  let nonFiniteError = '';
  bad[1].dispose();
  const data = fixtureLayers(8, [4, 4])[1];
  data[5] = NaN;
  data[9] = Infinity;
  bad[1] = tf.tensor2d(data, [8, 4]);
  try {
    await similarityMatrices(bad, ['cosine']);
  } catch (e) {
    nonFiniteError = e instanceof Error ? e.message : String(e);
  }
  bad.forEach((x) => x.dispose());
  counter.uninstall();
  counter = null;
  await initNodeBackend('wasm');
  const wasm = await runAll();
  const report: FusedReport = {
    adapter: gpu.adapter ?? 'webgpu',
    webgpu,
    wasm,
    nonFiniteError,
    analyze,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main()
  .catch((e: unknown) => {
    process.stderr.write(`fusedStatsChild.ts: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  })
  // Dawn's device keeps the event loop alive.
  .finally(() => process.exit());
