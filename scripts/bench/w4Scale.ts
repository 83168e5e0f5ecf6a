import { messageOf, type BenchContext } from './context';
import type { ScaleOutcome, ScaleTask } from './node/scale';
import { runNodeChild } from './processes';
import { valueCheck } from './targets';
import type { Check, Row, WorkloadResult } from './types';

const PATHS: { path: ScaleTask['path']; label: string }[] = [
  { path: 'analyzeLayers', label: 'analyzeLayers (as the CLI and the worker call it)' },
  { path: 'tensors', label: 'similarityMatrices on tensors uploaded layer by layer' },
];

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
          timing: {
            times: [result.ms],
            median: result.ms,
            min: result.ms,
            max: result.ms,
            spread: 0,
          },
          facts: {
            'input MB': Math.round(result.inputMb),
            'peak RSS MB': Math.round(result.peakRssMb),
            'RSS before data MB': Math.round(result.baselineRssMb),
            'wasm heap MB': result.wasmHeapMb === null ? '–' : Math.round(result.wasmHeapMb),
            batches: result.batches,
          },
        });
        if (layers === shapes[0].layers && d === shapes[0].d) {
          checks.push(
            valueCheck(
              `W4 peak memory ≤ 1 GB (${layers}×${d}, ${path})`,
              result.peakRssMb,
              1024,
              'MB',
            ),
          );
        }
      } catch (e) {
        rows.push({
          task,
          impl: `Strata, Node ${backend}: ${label}`,
          note: `failed: ${messageOf(e)}`,
        });
      }
    }
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
      'One run per row (the run is the measurement; it is seconds long). Peak RSS is getrusage’s maximum ' +
        'resident set of the whole Node process (tfjs, the wasm heap, the synthetic data), read at the end.',
      'The wasm backend’s memory grows and is never returned to the system, so the wasm heap is a peak too.',
    ],
  };
}
