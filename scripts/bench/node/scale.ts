import { similarityMatrices } from '../../../src/engine/metrics/similarity';
import { minibatchCkaFromStats } from '../../../src/engine/metrics/ckaFromStats';
import { kernelStatsOfRows } from '../../../src/engine/metrics/linearKernelStats';
import { analyzeLayers, type LayerActivations } from '../../../src/engine/pipeline/analyze';
import { tf } from '../../../src/engine/tf';
import type { Tensor2D } from '../../../src/engine/tf';
import { syntheticLayers, syntheticRows } from '../data';
import { peakRssMb, wasmHeapMb } from './memory';

export interface ScaleTask {
  kind: 'scale';
  n: number;
  layers: number;
  d: number;
  batchSize: number;
  seed: number;
  /**
   * `tensors`: each layer is uploaded as it is generated and its JS copy dropped, then
   * similarityMatrices runs on the tensors (the least memory the engine needs);
   * `analyzeLayers`: all layers stay as Float32Arrays and go through analyzeLayers, as the CLI and
   * the worker call it (minibatch CKA alone streams its batches from those arrays);
   * `streamed`: rows are made batch by batch as the engine asks for them (kernelStatsOfRows), as
   * a model's activations can be captured batch by batch: no layer is ever whole in memory.
   */
  path: 'tensors' | 'analyzeLayers' | 'streamed';
}

export interface ScaleOutcome {
  ms: number;
  /** Peak RSS before the data existed, and over the whole run (MB). */
  baselineRssMb: number;
  peakRssMb: number;
  wasmHeapMb: number | null;
  inputMb: number;
  batches: number;
  ckaFirstPair: number | null;
}

/** Minibatch CKA over n rows of synthetic layers, with the process's peak memory. */
export async function runScale(task: ScaleTask): Promise<ScaleOutcome> {
  const { n, layers: k, d, batchSize, seed } = task;
  const baselineRssMb = peakRssMb();
  let ms: number;
  let values: (number | null)[][];
  let notes: string[];
  if (task.path === 'streamed') {
    const start = performance.now();
    const stats = await kernelStatsOfRows(
      async (from, rows) =>
        syntheticRows(k, from, rows, d, seed).map((x) => tf.tensor2d(x, [rows, d])),
      n,
      new Array<number>(k).fill(d),
      { batchSize },
    );
    ({ values, notes } = minibatchCkaFromStats(stats.batches, batchSize, stats.skippedRows));
    ms = performance.now() - start;
  } else if (task.path === 'tensors') {
    const tensors: Tensor2D[] = [];
    for (const x of syntheticLayers(k, n, d, seed)) tensors.push(tf.tensor2d(x, [n, d]));
    const start = performance.now();
    const out = await similarityMatrices(tensors, ['cka-minibatch'], { batchSize });
    ms = performance.now() - start;
    ({ values, notes } = out['cka-minibatch']);
    tf.dispose(tensors);
  } else {
    const layers: LayerActivations[] = [];
    let l = 0;
    for (const data of syntheticLayers(k, n, d, seed))
      layers.push({ name: `layer_${l++}`, n, d, data });
    const start = performance.now();
    const report = await analyzeLayers(layers, ['cka-minibatch'], { batchSize });
    ms = performance.now() - start;
    values = report.metrics['cka-minibatch']!;
    notes = report.notes['cka-minibatch'] ?? [];
  }
  const batches = Number(/over (\d+) batch/.exec(notes.join(' '))?.[1] ?? NaN);
  return {
    ms,
    baselineRssMb,
    peakRssMb: peakRssMb(),
    wasmHeapMb: wasmHeapMb(),
    inputMb: (k * n * d * 4) / 2 ** 20,
    batches,
    ckaFirstPair: values[0][1],
  };
}
