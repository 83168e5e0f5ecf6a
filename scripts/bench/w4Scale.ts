import { messageOf, type BenchContext } from './context';
import type { CliAnalyzeOutcome, CliAnalyzeTask } from './node/cliAnalyze';
import type { RowProbeOutcome, RowProbeTask } from './node/rowProbe';
import type { ScaleOutcome, ScaleTask } from './node/scale';
import { runNodeChild } from './processes';
import { valueCheck } from './targets';
import type { Check, Row, WorkloadResult } from './types';

/** The task name of W4's probe row (explain.ts finds it by this prefix). */
export const PROBE_TASK = 'probe: finiteness check and one batch of rows from every layer';

const PATHS: { path: ScaleTask['path']; label: string }[] = [
  { path: 'analyzeLayers', label: 'analyzeLayers (as the CLI and the worker call it)' },
  { path: 'tensors', label: 'similarityMatrices on tensors uploaded layer by layer' },
  { path: 'streamed', label: 'kernelStatsOfRows on rows made batch by batch' },
];

/** The timing of a row measured once (the run is the measurement). */
function oneRun(ms: number): Row['timing'] {
  return { times: [ms], median: ms, min: ms, max: ms, spread: 0 };
}

/**
 * W4: minibatch CKA over N rows (60,000 by default) of every layer shape in the sizes, on Node
 * wasm, with the process's peak RSS. Each run is its own process, so its peak is its own.
 */
export async function benchScale(ctx: BenchContext): Promise<WorkloadResult> {
  const { n, batchSize, shapes } = ctx.sizes.w4;
  const rows: Row[] = [];
  const checks: Check[] = [];
  const backend = 'wasm';
  for (const { layers, d } of shapes) {
    for (const { path, label } of PATHS) {
      const task = `minibatch CKA, ${layers} layers × ${n} × ${d}`;
      ctx.log(`W4: ${task} via ${path}`);
      try {
        const { result } = await runNodeChild<ScaleOutcome>(backend, {
          kind: 'scale',
          n,
          layers,
          d,
          batchSize,
          seed: 3,
          path,
        } satisfies ScaleTask);
        rows.push({
          task,
          impl: `Strata, Node ${backend}: ${label}`,
          timing: oneRun(result.ms),
          facts: {
            'input MB': Math.round(result.inputMb),
            'peak RSS MB': Math.round(result.peakRssMb),
            'RSS before data MB': Math.round(result.baselineRssMb),
            'wasm heap MB': result.wasmHeapMb === null ? '–' : Math.round(result.wasmHeapMb),
            batches: result.batches,
          },
        });
        checks.push(
          valueCheck(
            `W4 peak memory ≤ 1 GB (${layers}×${d}, ${path})`,
            result.peakRssMb,
            1024,
            'MB',
          ),
        );
      } catch (e) {
        rows.push({
          task,
          impl: `Strata, Node ${backend}: ${label}`,
          note: `failed: ${messageOf(e)}`,
        });
      }
    }
  }
  for (const job of ctx.sizes.w4.cli) {
    const shape = `[${job.layers}, ${job.n}, ${job.d}]`;
    const task = `strata analyze --activations ${shape}.npy, ${job.metrics ? `--metrics ${job.metrics}` : 'default metrics'} (own process)`;
    const impl = `Strata CLI, Node ${backend}: the .npy read block by block`;
    ctx.log(`W4: ${task}`);
    try {
      const { result } = await runNodeChild<CliAnalyzeOutcome>(backend, {
        kind: 'cli-analyze',
        seed: 5,
        ...job,
      } satisfies CliAnalyzeTask);
      if (result.exitCode !== 0) throw new Error(`strata exited with ${result.exitCode}`);
      rows.push({
        task,
        impl,
        timing: oneRun(result.ms),
        facts: {
          'input MB': Math.round(result.fileMb),
          'peak RSS MB': Math.round(result.peakRssMb),
          'RSS before data MB': Math.round(result.baselineRssMb),
          computed: result.computed.join(', '),
          'left out (memory)': result.skipped.join(', ') || '–',
        },
      });
      checks.push(
        valueCheck(`W4 CLI peak memory ≤ 1.5 GB (${shape})`, result.peakRssMb, 1536, 'MB'),
      );
    } catch (e) {
      rows.push({ task, impl, note: `failed: ${messageOf(e)}` });
    }
  }
  const { layers, d } = shapes[0];
  ctx.log(`W4: probing the finiteness check and row extraction (${layers}×${n}×${d})`);
  try {
    const { result } = await runNodeChild<RowProbeOutcome>(backend, {
      kind: 'rows',
      n,
      layers,
      d,
      batchSize,
      batches: 12,
    } satisfies RowProbeTask);
    const mb = (x: number | null) => (x === null ? '–' : Math.round(x));
    rows.push({
      task: `${PROBE_TASK} (${layers}×${n}×${d})`,
      impl: 'tfjs-backend-wasm kernels',
      facts: {
        'heap after upload MB': mb(result.heapAfterUploadMb),
        'heap after finiteness check MB': mb(result.heapAfterFiniteCheckMb),
        'tf.slice ms/batch': Number(result.sliceMs.toFixed(1)),
        'tf.gather ms/batch': Number(result.gatherMs.toFixed(1)),
      },
    });
  } catch (e) {
    rows.push({
      task: PROBE_TASK,
      impl: 'tfjs-backend-wasm kernels',
      note: `failed: ${messageOf(e)}`,
    });
  }
  return {
    id: 'W4',
    title: 'Scale: minibatch CKA over all training samples',
    ranAt: new Date().toISOString(),
    loadBefore: 0,
    params: {
      n,
      minibatchSize: batchSize,
      backend,
      shapes: shapes.map((s) => `${s.layers}×${s.d}`).join(', '),
    },
    rows,
    checks,
    notes: [
      'The CLI rows write a float32 [L, N, D] .npy of synthetic activations block by block, then run ' +
        '`strata analyze --activations` in a fresh process; peak RSS is that whole process (Node, tfjs, the wasm ' +
        'heap), which reads the file block by block (src/cli/npyFileRows.ts). RBF CKA is left out when its N×N ' +
        'matrices would not fit (the row says so); the other default metrics stream.',
      'One run per row (the run is the measurement; it is seconds long). Peak RSS is getrusage’s maximum ' +
        'resident set of the whole Node process (tfjs, the wasm heap, the synthetic data), read at the end.',
      'The wasm backend’s memory grows and is never returned to the system, so the wasm heap is a peak too.',
      'The probe row uploads the first shape’s layers, runs the finiteness check similarityMatrices starts with ' +
        '(validate.ts, assertFinite) and reads the wasm heap, then times taking one batch of rows out of every ' +
        'layer with tf.slice (what linearKernelStats did before) and with tf.gather (what it does now on wasm) (median of 12 batches spread over the rows).',
    ],
  };
}
