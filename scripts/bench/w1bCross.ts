import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeNpy } from '../../src/engine/io/npy';
import { KNN_BLOCK_FLOATS } from '../../src/engine/metrics/mutualKnn';
import type { SimilarityMetric } from '../../src/engine/metrics/types';
import { messageOf, repsFor, type BenchContext } from './context';
import { stackedLayers } from './data';
import type { SimilarityOutcome } from './node/similarity';
import { nodeImpl } from './gpu/counter';
import { runNodeChild, runPythonJson } from './processes';
import { maxAbsDifference, summarize } from './stats';
import type { Row, WorkloadResult } from './types';

interface PythonCross {
  times_ms: number[];
  matrices: Record<string, number[][]>;
  peak_rss_mb: number;
}

const JOBS: { task: string; metric: SimilarityMetric }[] = [
  { task: 'Procrustes', metric: 'procrustes' },
  { task: 'SVCCA', metric: 'svcca' },
  { task: 'mutual k-NN (k = 10)', metric: 'knn' },
];

/**
 * W1b: Procrustes, SVCCA and mutual k-NN over every pair of W1's layers (the same .npy file),
 * Strata on Node wasm beside the NumPy references of bench/reference/similarity.py. One run
 * each by default (the references' SVDs take minutes); `--reps` asks for more.
 */
export async function benchCrossMeasures(ctx: BenchContext): Promise<WorkloadResult> {
  const { layers, n, d, budgetMs } = ctx.sizes.w1;
  const reps = repsFor(ctx, 1);
  const input = join(ctx.tmp, 'w1b-layers.npy');
  ctx.log(`W1b: writing ${layers}×${n}×${d} float32 layers to ${input}`);
  const data = stackedLayers(layers, n, d, 42);
  await writeFile(
    input,
    writeNpy({ name: 'layers', dtype: 'float32', shape: [layers, n, d], data }),
  );
  const rows: Row[] = [];
  const reference: (PythonCross | null)[] = [];
  for (const job of JOBS) {
    ctx.log(`W1b: NumPy, ${job.task}`);
    const args = [input, '--metrics', job.metric, '--warmup', '0', '--reps', String(reps)];
    try {
      const out = await runPythonJson<PythonCross>(
        ctx.options.python,
        'bench/reference/similarity.py',
        [...args, '--budget-s', String(budgetMs / 1000)],
      );
      reference.push(out);
      rows.push({
        task: job.task,
        impl: 'NumPy, float64 LAPACK (reference)',
        timing: summarize(out.times_ms),
        facts: { 'peak RSS MB': Math.round(out.peak_rss_mb) },
      });
    } catch (e) {
      reference.push(null);
      rows.push({
        task: job.task,
        impl: 'NumPy (reference)',
        note: `not measured: ${messageOf(e)}`,
      });
    }
  }
  ctx.log('W1b: Strata on Node wasm');
  try {
    const { details, result } = await runNodeChild<SimilarityOutcome>('wasm', {
      kind: 'similarity',
      input,
      jobs: JOBS.map(({ metric }) => ({ metrics: [metric] })),
      repeat: { warmup: 0, reps, budgetMs },
    });
    result.jobs.forEach((j, i) => {
      const ref = reference[i]?.matrices[JOBS[i].metric];
      const ours = j.matrices[JOBS[i].metric];
      rows.push({
        task: JOBS[i].task,
        impl: nodeImpl('wasm', details.adapter),
        timing: j.timing,
        facts: {
          'max abs diff vs NumPy': ref && ours ? maxAbsDifference(ours, ref) : 'no reference',
          'tensors left': j.tensorsLeft,
        },
      });
    });
  } catch (e) {
    rows.push({ task: JOBS[0].task, impl: 'Strata, Node wasm', note: `failed: ${messageOf(e)}` });
  }
  return {
    id: 'W1b',
    title: 'Procrustes, SVCCA and mutual k-NN on W1’s shape',
    ranAt: new Date().toISOString(),
    loadBefore: 0,
    params: { layers, n, d, pairs: (layers * (layers + 1)) / 2, knnK: 10, reps, seed: 42 },
    rows,
    checks: [],
    notes: [
      'Strata rows time analyzeLayers (scan, upload, every pair l ≤ m) from Float32Arrays in memory; NumPy rows ' +
        'time the computation on arrays in memory. One process at a time, the NumPy rows first.',
      `Procrustes and SVCCA: Strata decomposes each layer once (its ${d}×${d} Gram in float64: tridiagonalisation ` +
        `and implicit QL), then per pair one ${d}×${d} product on the device and the singular values of it from ` +
        `the eigenvalues of its Gram; the reference takes a thin SVD of each ${n}×${d} layer and a full SVD per ` +
        'pair (np.linalg.svd). The cost grows as min(N, D)³; the measures refuse min(N, D) > 1,024.',
      `Mutual k-NN: both find neighbours a block of rows at a time (Strata: ${Math.min(n, KNN_BLOCK_FLOATS / n)} rows × ${n} similarities, ` +
        'one matmul and tf.topk of k + 1, the sample itself dropped on the host; the reference argpartition). ' +
        'On wasm the matmul is about 70 % of the CPU time (33 GFLOP/s against OpenBLAS’s ~120 on both cores), ' +
        'the top-k about 20 %; the pairs (list intersections) are cheap in Strata and a Python loop in the reference.',
    ],
  };
}
