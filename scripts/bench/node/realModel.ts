import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointFolderFiles } from '../../../src/cli/checkpointFolder';
import { loadCheckpointFiles } from '../../../src/engine/import/checkpointFiles';
import { disposeParams } from '../../../src/engine/model/params';
import { disposeDecoderParams } from '../../../src/engine/decoder/decoderWeights';
import { isDecoderCheckpoint, loadDecoder } from '../../../src/engine/decoder/loadDecoder';
import { repoRoot } from '../processes';
import { peakRssMb } from './memory';

/**
 * A real-size checkpoint (bench/reference/real_models.py) through the command line as a user runs
 * it: the compiled `strata` (bin/strata.mjs running build/cli/strata.mjs) in a process of its own,
 * so that the peak RSS is the command's own (Node, tfjs, the wasm heap), not the benchmark's:
 * `hidden-states` writes every layer's hidden states of the folder's input to `out`; `lens` (a
 * decoder LM) writes the logit lens of its input.npz to the folder `out`; `analyze` runs
 * `strata analyze --model DIR --dataset D` (similarity and per-layer accuracy).
 */
export interface RealModelTask {
  kind: 'real-model';
  /** `load`: only reads the checkpoint into the backend, as the command line does first. */
  command: 'load' | 'hidden-states' | 'lens' | 'analyze';
  /** The checkpoint folder (config.json + model.safetensors, and input.npy or input.npz). */
  dir: string;
  batchSize: number;
  /** hidden-states: the .npz to write; lens and analyze: the output folder. */
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
    task.command === 'analyze'
      ? ['analyze', '--model', task.dir, '--dataset', task.dataset ?? 'imdb']
      : [task.command, '--model', task.dir, '--input', join(task.dir, input)];
  if (task.command === 'analyze' && task.samples) args.push('--samples', String(task.samples));
  if (task.command !== 'analyze') args.push('--batch-size', String(task.batchSize));
  args.push('--backend', task.backend ?? 'wasm', '--out', task.out);
  const baselineRssMb = peakRssMb();
  if (task.command !== 'load') return { ...(await runCli(args)), baselineRssMb, weightsMb };
  const start = performance.now();
  const exitCode = await load(task.dir);
  const ms = performance.now() - start;
  return { ms, exitCode, baselineRssMb, peakRssMb: peakRssMb(), weightsMb };
}

/** `node bin/strata.mjs ARGS` timed from spawn to exit, with its own peak RSS (peakOnExit.mjs). */
async function runCli(
  args: string[],
): Promise<{ ms: number; exitCode: number; peakRssMb: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-w6-'));
  const peakFile = join(dir, 'peak');
  try {
    const hook = join(repoRoot, 'scripts/bench/node/peakOnExit.mjs');
    const start = performance.now();
    const exitCode = await new Promise<number>((done, fail) => {
      const child = spawn(
        process.execPath,
        ['--import', hook, join(repoRoot, 'bin/strata.mjs'), ...args],
        {
          cwd: repoRoot,
          stdio: ['ignore', 'inherit', 'inherit'],
          env: { ...process.env, STRATA_PEAK_FILE: peakFile },
        },
      );
      child.on('error', fail);
      child.on('exit', (code) => done(code ?? 1));
    });
    const ms = performance.now() - start;
    const peakKiB = Number(await readFile(peakFile, 'utf8'));
    return { ms, exitCode, peakRssMb: peakKiB / 1024 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The checkpoint loaded as the command line loads it: the folder's files streamed tensor by tensor. */
async function load(dir: string): Promise<number> {
  const files = await checkpointFolderFiles(dir);
  if (await isDecoderCheckpoint(files)) disposeDecoderParams((await loadDecoder(files)).params);
  else disposeParams((await loadCheckpointFiles(files, dir)).params);
  return 0;
}
