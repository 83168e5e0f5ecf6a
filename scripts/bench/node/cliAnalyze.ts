import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { npyHeaderBytes } from '../../../src/engine/io/npy';
import { syntheticRows } from '../data';
import { peakRssMb } from './memory';

/**
 * `strata analyze --activations FILE.npy` as a user runs it, in this fresh process: the file is
 * a float32 [layers, n, d] .npy written to a temp folder block by block (the writer never holds
 * more than a block), then the command line's main() runs on it; the process's peak RSS is the
 * command's, with Node and tfjs included.
 */
export interface CliAnalyzeTask {
  kind: 'cli-analyze';
  layers: number;
  n: number;
  d: number;
  seed: number;
  /** --metrics; absent: the command's defaults. */
  metrics?: string;
}

export interface CliAnalyzeOutcome {
  ms: number;
  exitCode: number;
  baselineRssMb: number;
  peakRssMb: number;
  fileMb: number;
  computed: string[];
  skipped: string[];
}

const BLOCK_ROWS = 2048;

async function writeActivations(file: string, task: CliAnalyzeTask): Promise<number> {
  const { layers, n, d, seed } = task;
  const head = npyHeaderBytes('<f4', [layers, n, d]);
  const handle = await open(file, 'w');
  try {
    await handle.write(head, 0, head.length, 0);
    for (let start = 0; start < n; start += BLOCK_ROWS) {
      const count = Math.min(BLOCK_ROWS, n - start);
      const rows = syntheticRows(layers, start, count, d, seed);
      for (let l = 0; l < layers; l++) {
        const bytes = new Uint8Array(rows[l].buffer, rows[l].byteOffset, rows[l].byteLength);
        await handle.write(bytes, 0, bytes.length, head.length + (l * n + start) * d * 4);
      }
    }
  } finally {
    await handle.close();
  }
  return (head.length + layers * n * d * 4) / 2 ** 20;
}

export async function runCliAnalyze(task: CliAnalyzeTask): Promise<CliAnalyzeOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-bench-cli-'));
  try {
    const file = join(dir, 'acts.npy');
    const fileMb = await writeActivations(file, task);
    const baselineRssMb = peakRssMb();
    const args = ['analyze', '--activations', file, '--backend', 'wasm', '--out', join(dir, 'out')];
    if (task.metrics) args.push('--metrics', task.metrics);
    const start = performance.now();
    const exitCode = await main(args);
    const ms = performance.now() - start;
    let computed: string[] = [];
    let skipped: string[] = [];
    if (exitCode === 0) {
      const report = JSON.parse(await readFile(join(dir, 'out', 'similarity.json'), 'utf8'));
      computed = Object.keys(report.metrics);
      skipped = Object.keys(report.skipped ?? {});
    }
    return { ms, exitCode, baselineRssMb, peakRssMb: peakRssMb(), fileMb, computed, skipped };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
