import { assertFinite } from '../../../src/engine/metrics/validate';
import { tf } from '../../../src/engine/tf';
import type { Tensor2D } from '../../../src/engine/tf';
import { syntheticLayers } from '../data';
import { median } from '../stats';
import { wasmHeapMb } from './memory';

/**
 * Probes the two costs W4 points at, on the same layers: how much the finiteness check that
 * similarityMatrices runs first grows the wasm heap, and what taking one batch of rows out of every
 * layer costs with tf.slice (what linearKernelStats did before) and with tf.gather.
 */
export interface RowProbeTask {
  kind: 'rows';
  n: number;
  layers: number;
  d: number;
  batchSize: number;
  /** Batches timed per method (spread over the rows). */
  batches: number;
}

export interface RowProbeOutcome {
  heapAfterUploadMb: number | null;
  heapAfterFiniteCheckMb: number | null;
  /** Median milliseconds to take one batch of rows out of every layer (and sum it, to finish). */
  sliceMs: number;
  gatherMs: number;
}

async function perBatch(
  layers: readonly Tensor2D[],
  starts: number[],
  rows: (x: Tensor2D, start: number) => Tensor2D,
): Promise<number> {
  const times: number[] = [];
  for (const start of starts) {
    const t = performance.now();
    const sums = tf.tidy(() => tf.stack(layers.map((x) => tf.sum(rows(x, start)))));
    // sync point: the batch has been taken when its sums are back.
    await sums.data();
    sums.dispose();
    times.push(performance.now() - t);
  }
  return median(times);
}

export async function runRowProbe(task: RowProbeTask): Promise<RowProbeOutcome> {
  const { n, layers: k, d, batchSize, batches } = task;
  const layers: Tensor2D[] = [];
  for (const x of syntheticLayers(k, n, d, 3)) layers.push(tf.tensor2d(x, [n, d]));
  const heapAfterUploadMb = wasmHeapMb();
  await assertFinite(layers, 'row probe');
  const heapAfterFiniteCheckMb = wasmHeapMb();
  const last = Math.floor(n / batchSize) - 1;
  const starts = Array.from(
    { length: batches },
    (_, i) => Math.round((i * last) / Math.max(1, batches - 1)) * batchSize,
  );
  const sliceMs = await perBatch(layers, starts, (x, s) => tf.slice(x, [s, 0], [batchSize, -1]));
  const gatherMs = await perBatch(layers, starts, (x, s) =>
    tf.gather(x, tf.range(s, s + batchSize, 1, 'int32')),
  );
  tf.dispose(layers);
  return { heapAfterUploadMb, heapAfterFiniteCheckMb, sliceMs, gatherMs };
}
