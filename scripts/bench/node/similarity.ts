import { readFile } from 'node:fs/promises';
import { readNpy } from '../../../src/engine/io/npy';
import type { SimilarityMetric } from '../../../src/engine/metrics/types';
import { analyzeLayers, type LayerActivations } from '../../../src/engine/pipeline/analyze';
import { tf } from '../../../src/engine/tf';
import { countedGpuWork } from '../gpu/active';
import type { GpuCounts } from '../gpu/counter';
import { timeRepeated, type RepeatOptions, type Timing } from '../stats';

export interface SimilarityTask {
  kind: 'similarity';
  /** A float32 .npy file [L, N, D]. */
  input: string;
  jobs: { metrics: SimilarityMetric[]; batchSize?: number }[];
  repeat: RepeatOptions;
}

export interface SimilarityOutcome {
  jobs: {
    timing: Timing;
    matrices: Record<string, (number | null)[][]>;
    /** Tensors alive after the timed runs minus before them (0 when nothing leaks). */
    tensorsLeft: number;
    /** WebGPU work of the last timed analysis (webgpu only). */
    gpu?: GpuCounts;
  }[];
}

/** Reads the layers of a [L, N, D] .npy file as LayerActivations (views, no copies). */
export async function layersFromNpy(path: string): Promise<LayerActivations[]> {
  const array = readNpy(new Uint8Array(await readFile(path)), path);
  if (array.dtype !== 'float32' || array.shape.length !== 3) {
    throw new Error(`${path}: ${array.dtype} [${array.shape}], expected float32 [L, N, D]`);
  }
  const [k, n, d] = array.shape;
  const data = array.data as Float32Array;
  return Array.from({ length: k }, (_, l) => ({
    name: `layer_${l}`,
    n,
    d,
    data: data.subarray(l * n * d, (l + 1) * n * d),
  }));
}

/**
 * Times analyzeLayers — the engine's entry point for plain activations (upload, finiteness check,
 * every pair of the metrics asked, agreement) — once per job, on the current backend.
 */
export async function runSimilarity(task: SimilarityTask): Promise<SimilarityOutcome> {
  const layers = await layersFromNpy(task.input);
  const jobs: SimilarityOutcome['jobs'] = [];
  for (const job of task.jobs) {
    let matrices: Record<string, (number | null)[][]> = {};
    let gpu: GpuCounts | undefined;
    const before = tf.memory().numTensors;
    const timing = await timeRepeated(async () => {
      const { value: report, counts } = await countedGpuWork(() =>
        analyzeLayers(layers, job.metrics, { batchSize: job.batchSize }),
      );
      matrices = report.metrics as Record<string, (number | null)[][]>;
      gpu = counts;
    }, task.repeat);
    jobs.push({ timing, matrices, tensorsLeft: tf.memory().numTensors - before, gpu });
  }
  return { jobs };
}
