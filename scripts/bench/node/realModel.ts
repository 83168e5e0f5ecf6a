import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { checkpointFolderFiles } from '../../../src/cli/checkpointFolder';
import { loadCheckpointFiles } from '../../../src/engine/import/checkpointFiles';
import { disposeParams } from '../../../src/engine/model/params';
import { peakRssMb } from './memory';

/**
 * A real-size checkpoint (bench/reference/real_models.py) through the command line as a user runs
 * it, in this fresh process, so that the peak RSS is the command's own (Node, tfjs, the wasm heap):
 * `hidden-states` writes every layer's hidden states of the folder's input to `out`; `analyze`
 * runs `strata analyze --model DIR --dataset D` (similarity and per-layer accuracy).
 */
export interface RealModelTask {
  kind: 'real-model';
  /** `load`: only reads the checkpoint into the backend, as the command line does first. */
  command: 'load' | 'hidden-states' | 'analyze';
  /** The checkpoint folder (config.json + model.safetensors, and input.npy or input.npz). */
  dir: string;
  batchSize: number;
  /** hidden-states: the .npz to write; analyze: the output folder. */
  out: string;
  /** analyze only. */
  dataset?: string;
  samples?: number;
  /** The command line's --backend (wasm when absent). */
  backend?: 'wasm' | 'webgpu';
}

export interface RealModelOutcome {
  ms: number;
  exitCode: number;
  baselineRssMb: number;
  peakRssMb: number;
  weightsMb: number;
}

export async function runRealModel(task: RealModelTask): Promise<RealModelOutcome> {
  const weightsMb = (await stat(join(task.dir, 'model.safetensors'))).size / 2 ** 20;
  const input = task.dir.endsWith('vit-b16') ? 'input.npy' : 'input.npz';
  const args =
    task.command === 'hidden-states'
      ? ['hidden-states', '--model', task.dir, '--input', join(task.dir, input)]
      : ['analyze', '--model', task.dir, '--dataset', task.dataset ?? 'imdb'];
  if (task.command === 'analyze' && task.samples) args.push('--samples', String(task.samples));
  if (task.command === 'hidden-states') args.push('--batch-size', String(task.batchSize));
  args.push('--backend', task.backend ?? 'wasm', '--out', task.out);
  const baselineRssMb = peakRssMb();
  const start = performance.now();
  const exitCode = task.command === 'load' ? await load(task.dir) : await main(args);
  const ms = performance.now() - start;
  return { ms, exitCode, baselineRssMb, peakRssMb: peakRssMb(), weightsMb };
}

/** The checkpoint loaded as the command line loads it: the folder's files streamed tensor by tensor. */
async function load(dir: string): Promise<number> {
  disposeParams((await loadCheckpointFiles(await checkpointFolderFiles(dir), dir)).params);
  return 0;
}
