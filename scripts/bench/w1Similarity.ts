import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeNpy } from '../../src/engine/io/npy';
import type { SimilarityMetric } from '../../src/engine/metrics/types';
import { browserLabel, similarityInPage } from './browserSession';
import { messageOf, repsFor, type BenchContext } from './context';
import { stackedLayers } from './data';
import type { SimilarityOutcome } from './node/similarity';
import { gpuFacts, nodeImpl } from './gpu/counter';
import { runNodeChild, runPythonJson } from './processes';
import { maxAbsDifference, summarize, type Timing } from './stats';
import { chromiumCheck, ratioCheck, TARGETS } from './targets';
import type { Row, WorkloadResult } from './types';

interface PythonSimilarity {
  times_ms: number[];
  matrices: Record<string, number[][]>;
  peak_rss_mb: number;
  numpy: string;
  blas: string;
}

interface Job {
  task: string;
  metrics: SimilarityMetric[];
  batchSize?: number;
}

const SCRIPT = 'bench/reference/similarity.py';

/** The largest difference from the reference over the metrics both computed. */
function deviation(
  ours: Record<string, (number | null)[][]>,
  reference: Record<string, number[][]> | undefined,
): number | string {
  if (!reference) return 'no reference';
  const shared = Object.keys(ours).filter((m) => m in reference);
  return Math.max(...shared.map((m) => maxAbsDifference(ours[m], reference[m])));
}

/**
 * W1: every pair of cosine + linear CKA (and debiased, minibatch CKA) over L layers of N×D, on
 * each Node backend, against NumPy's feature-space formulas and the pair-by-pair Gram algorithm,
 * all reading the same .npy file.
 */
export async function benchSimilarity(ctx: BenchContext): Promise<WorkloadResult> {
  const { layers, n, d, batchSize, warmup, budgetMs } = ctx.sizes.w1;
  const reps = repsFor(ctx, ctx.sizes.w1.reps);
  const input = join(ctx.tmp, 'w1-layers.npy');
  ctx.log(`W1: writing ${layers}×${n}×${d} float32 layers to ${input}`);
  const data = stackedLayers(layers, n, d, 42);
  await writeFile(
    input,
    writeNpy({ name: 'layers', dtype: 'float32', shape: [layers, n, d], data }),
  );

  const jobs: Job[] = [
    { task: 'cosine + linear CKA', metrics: ['cosine', 'cka'] },
    { task: 'cosine alone', metrics: ['cosine'] },
    { task: 'debiased CKA', metrics: ['cka-debiased'] },
    { task: `minibatch CKA (batch ${batchSize})`, metrics: ['cka-minibatch'], batchSize },
  ];
  const rows: Row[] = [];
  const notes: string[] = [];
  const numpy: (PythonSimilarity | null)[] = [];

  for (const job of jobs) {
    ctx.log(`W1: NumPy (feature space), ${job.task}`);
    const args = [input, '--metrics', job.metrics.join(','), '--batch-size', String(batchSize)];
    args.push(
      '--warmup',
      String(warmup),
      '--reps',
      String(reps),
      '--budget-s',
      String(budgetMs / 1000),
    );
    try {
      const out = await runPythonJson<PythonSimilarity>(ctx.options.python, SCRIPT, args);
      numpy.push(out);
      ctx.machine.numpy = out.numpy;
      ctx.machine.blas = out.blas;
      rows.push({
        task: job.task,
        impl: 'NumPy, feature space (reference)',
        timing: summarize(out.times_ms),
        facts: { 'peak RSS MB': Math.round(out.peak_rss_mb) },
      });
    } catch (e) {
      numpy.push(null);
      rows.push({
        task: job.task,
        impl: 'NumPy, feature space (reference)',
        note: `not measured: ${messageOf(e)}`,
      });
    }
  }

  ctx.log('W1: NumPy pair by pair (N×N Gram matrices rebuilt per pair), linear CKA');
  let gram: Timing | null = null;
  try {
    const out = await runPythonJson<PythonSimilarity>(ctx.options.python, SCRIPT, [
      input,
      '--algorithm',
      'gram',
      '--metrics',
      'cka',
      '--warmup',
      '0',
      '--reps',
      String(reps),
      '--budget-s',
      String(budgetMs / 1000),
    ]);
    gram = summarize(out.times_ms);
    rows.push({
      task: 'linear CKA',
      impl: 'NumPy, pair by pair with N×N Grams (torch_cka-style)',
      timing: gram,
      facts: {
        'peak RSS MB': Math.round(out.peak_rss_mb),
        'max abs diff vs NumPy': deviation({ cka: out.matrices.cka }, numpy[0]?.matrices),
      },
    });
  } catch (e) {
    rows.push({
      task: 'linear CKA',
      impl: 'NumPy, pair by pair (torch_cka-style)',
      note: `not measured: ${messageOf(e)}`,
    });
  }

  const strata: Record<string, Timing[]> = {};
  for (const backend of ctx.options.backends) {
    ctx.log(`W1: Strata on Node ${backend}`);
    try {
      const { details, result } = await runNodeChild<SimilarityOutcome>(backend, {
        kind: 'similarity',
        input,
        jobs: jobs.map(({ metrics, batchSize: b }) => ({ metrics, batchSize: b })),
        // cpu runs take tens of seconds each: JIT warm-up is lost in them, a warm-up run is not.
        repeat: { warmup: backend === 'cpu' ? 0 : warmup, reps, budgetMs },
      });
      if (backend === 'wasm')
        ctx.machine.wasm = `SIMD ${details.simd ? 'on' : 'off'}, threads ${details.threads ? 'on' : 'off'}`;
      strata[backend] = result.jobs.map((j) => j.timing);
      result.jobs.forEach((j, i) => {
        rows.push({
          task: jobs[i].task,
          impl: nodeImpl(backend, details.adapter),
          timing: j.timing,
          facts: {
            'max abs diff vs NumPy': deviation(j.matrices, numpy[i]?.matrices),
            'tensors left': j.tensorsLeft,
            // One analysis (the last timed one): every pair of the job's metrics.
            ...gpuFacts(j.gpu),
          },
        });
      });
    } catch (e) {
      rows.push({
        task: jobs[0].task,
        impl: `Strata, Node ${backend}`,
        note: `failed: ${messageOf(e)}`,
      });
    }
  }

  let chromiumWasm: Timing | null = null;
  for (const backend of ctx.options.browserBackends) {
    // WebGPU here is SwiftShader (a CPU emulating a GPU): one run of the main job only.
    const gpu = backend === 'webgpu';
    ctx.log(`W1: Strata in Chromium, ${backend}`);
    try {
      const session = await ctx.browser();
      const spec = {
        layers,
        n,
        d,
        seed: 42,
        jobs: (gpu ? jobs.slice(0, 1) : jobs).map(({ metrics, batchSize: b }) => ({
          metrics,
          batchSize: b,
        })),
        warmup: gpu ? 0 : warmup,
        reps: gpu ? 1 : reps,
      };
      const { info, result } = await session.run(
        backend,
        (page) => similarityInPage(page, spec),
        gpu ? 5 * 60_000 : 30 * 60_000,
      );
      if (backend === 'wasm') chromiumWasm = summarize(result.jobs[0].times);
      result.jobs.forEach((j, i) => {
        rows.push({
          task: jobs[i].task,
          impl: browserLabel(info),
          timing: summarize(j.times),
          facts: { 'max abs diff vs NumPy': deviation(j.matrices, numpy[i]?.matrices) },
        });
      });
    } catch (e) {
      rows.push({
        task: jobs[0].task,
        impl: `Strata, Chromium ${backend}`,
        note: `not measured: ${messageOf(e)}`,
      });
    }
  }

  const wasm = strata.wasm?.[0] ?? null;
  const reference = numpy[0] ? summarize(numpy[0].times_ms) : null;
  notes.push(
    'Strata rows time analyzeLayers (the entry point of the CLI and the worker: upload, finiteness check, ' +
      'every pair, agreement) from Float32Arrays in memory; NumPy rows time the computation on arrays in memory.',
    'Chromium rows run the same engine in its worker (bench/browser, cross-origin isolated like the app); ' +
      'their times include copying the layers to the worker (structured clone) and are taken in the page.',
    'The pair-by-pair row computes linear CKA only, and the comparison puts it against Strata computing cosine ' +
      'and linear CKA together, so the ratio is conservative.',
  );
  return {
    id: 'W1',
    title: 'Similarity: every layer pair',
    ranAt: new Date().toISOString(),
    loadBefore: 0,
    params: { layers, n, d, minibatchSize: batchSize, warmup, reps, seed: 42 },
    rows,
    checks: [
      ratioCheck(
        `W1 wasm ≤ ${TARGETS.w1OverNumPy}× NumPy (cosine + linear CKA)`,
        wasm,
        reference,
        TARGETS.w1OverNumPy,
        'at most',
      ),
      ratioCheck('W1 wasm ≥ 10× faster than pair by pair', gram, wasm, 10, 'at least'),
      chromiumCheck('W1', chromiumWasm, wasm),
    ],
    notes,
  };
}
