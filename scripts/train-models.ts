// Trains Strata's built-in checkpoints: for each built-in dataset, `<dataset>-standard`,
// `<dataset>-aligned` and `<dataset>-multihead`, with the recipes below (seeds recorded), then
// measures them (per-layer test accuracy, early-exit trade-offs) and writes
// public/models/README.md from those measurements. Deterministic on one backend.
//
//   npm run train:models                 # everything (81 min on 2 cores, the last time)
//   npm run train:models -- mnist        # one dataset
//   npm run train:models -- --report     # only re-measure and rewrite the README
//   npm run train:models -- --readme     # only rewrite the README from the measurements there
//   npm run train:models -- --jobs 1     # one training at a time (default: 2)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { writeModelsReport, type RunRecord } from './models/report';
import { RECIPES, modelName, type Recipe } from './models/recipes';

const root = resolve(import.meta.dirname, '..');
const modelsDir = join(root, 'public', 'models');
const strata = join(root, 'bin', 'strata.mjs');

function run(args: string[], label: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [strata, ...args], {
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split(/\r|\n/).filter(Boolean))
        process.stderr.write(`[${label}] ${line}\n`);
    });
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${label} failed (exit ${code}):\n${tail}`)),
    );
  });
}

function trainArgs(r: Recipe): string[] {
  return [
    'train',
    '--model',
    r.preset,
    '--dataset',
    r.dataset,
    '--loss',
    r.loss,
    '--schedule',
    r.schedule,
    '--steps',
    String(r.steps),
    '--batch-size',
    String(r.batchSize),
    '--lr',
    String(r.lr),
    '--warmup',
    String(r.warmup),
    '--seed',
    String(r.seed),
    '--eval-every',
    String(r.evalEvery),
    '--backend',
    'wasm',
    '--out',
    join(modelsDir, modelName(r)),
  ];
}

async function pool<T>(items: T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const reportOnly = args.includes('--report');
  if (args.includes('--readme')) {
    const present = RECIPES.filter((r) => existsSync(join(modelsDir, modelName(r), 'exits.json')));
    await writeModelsReport(modelsDir, present);
    process.stderr.write(`wrote ${join(modelsDir, 'README.md')}\n`);
    return;
  }
  const jobsAt = args.indexOf('--jobs');
  const jobs = jobsAt >= 0 ? Number(args[jobsAt + 1]) : 2;
  const datasets = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--jobs');
  const recipes = RECIPES.filter((r) => datasets.length === 0 || datasets.includes(r.dataset));
  if (recipes.length === 0) throw new Error(`no recipe for ${datasets.join(', ')}`);
  const began = Date.now();
  if (!reportOnly) {
    await pool(recipes, jobs, (r) => run(trainArgs(r), modelName(r)));
  }
  const trained = RECIPES.filter((r) => existsSync(join(modelsDir, modelName(r), 'metrics.json')));
  // Measure what this run trained (with --report: every checkpoint there is).
  await pool(reportOnly ? trained : recipes, jobs, async (r) => {
    const name = modelName(r);
    await run(
      [
        'exits',
        '--model',
        name,
        '--dataset',
        r.dataset,
        '--rule',
        'confidence',
        '--out',
        join(modelsDir, name),
      ],
      `${name} exits`,
    );
    await run(
      [
        'analyze',
        '--model',
        name,
        '--dataset',
        r.dataset,
        '--samples',
        '1000',
        '--metrics',
        'cosine,cka',
        '--out',
        join(modelsDir, name),
      ],
      `${name} analyze`,
    );
  });
  if (!reportOnly) {
    // How long the whole command took, for the README (issue 4 asks for about an hour on two
    // cores).
    const run: RunRecord = {
      date: new Date(began).toISOString(),
      wallSeconds: (Date.now() - began) / 1000,
      jobs,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      checkpoints: recipes.map(modelName),
    };
    await writeFile(join(modelsDir, 'run.json'), JSON.stringify(run, null, 2) + '\n');
  }
  await writeModelsReport(modelsDir, trained);
  process.stderr.write(`wrote ${join(modelsDir, 'README.md')}\n`);
}

main().catch((e) => {
  process.stderr.write(`train:models: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
