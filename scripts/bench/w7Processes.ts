import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeNpz } from '../../src/engine/io/npz';
import { messageOf, repsFor, type BenchContext } from './context';
import { syntheticLayers } from './data';
import { runProcess } from './processes';
import { MIN_REPS, maxAbsDifference, summarize, type Timing } from './stats';
import { ratioCheck } from './targets';
import type { Row, WorkloadResult } from './types';

const SCRIPT = 'bench/reference/similarity.py';
const FROM_SOURCE = { STRATA_FROM_SOURCE: '1' };

/** One command timed as a whole process, from spawn to exit. */
interface Job {
  task: string;
  impl: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** similarity.json written by `strata analyze`, when the job is one. */
  out?: string;
  times: number[];
  matrices?: Record<string, number[][]>;
}

async function runJob(job: Job): Promise<number> {
  const run = await runProcess(job.command, job.args, { env: job.env, echo: false });
  if (run.code !== 0) {
    const tail = (run.stderr || run.stdout).trim().split('\n').slice(-4).join('\n');
    throw new Error(`${job.impl} exited with ${run.code}: ${tail}`);
  }
  if (run.stderr.includes('is missing')) throw new Error(`${job.impl}: ${run.stderr.trim()}`);
  if (job.out) job.matrices = JSON.parse(await readFile(job.out, 'utf8')).metrics;
  else if (job.command !== process.execPath)
    job.matrices = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}').matrices;
  return run.wallMs;
}

/**
 * W7: W1's similarity job as users time it, whole processes on the same .npz file (as np.savez
 * writes it: one stored [N, D] float32 entry per layer): `strata analyze --activations w1.npz
 * --metrics cosine,cka` compiled and from its TypeScript sources, NumPy's script, the pair-by-pair
 * script, and `strata --help` alone (the start-up). The fast jobs run in turns, one of each per
 * round, so that load from elsewhere falls on all of them alike.
 */
export async function benchProcesses(ctx: BenchContext): Promise<WorkloadResult> {
  const { layers, n, d } = ctx.sizes.w1;
  const { gramReps, budgetMs } = ctx.sizes.w7;
  const reps = repsFor(ctx, ctx.sizes.w7.reps);
  const input = join(ctx.tmp, 'w1.npz');
  ctx.log(`W7: writing ${layers} layers of ${n}×${d} float32 to ${input}`);
  const arrays = [...syntheticLayers(layers, n, d, 42)].map((data, l) => ({
    name: `layer_${l}`,
    dtype: 'float32' as const,
    shape: [n, d],
    data,
  }));
  await writeFile(input, writeNpz(arrays));
  ctx.log('W7: building the command line (npm run build:cli)');
  const built = await runProcess(process.execPath, ['scripts/build-cli.mjs']);
  if (built.code !== 0) throw new Error(`W7: scripts/build-cli.mjs failed: ${built.stderr}`);

  const node = process.execPath;
  const analyze = (out: string) => [
    'bin/strata.mjs',
    'analyze',
    '--activations',
    input,
    '--metrics',
    'cosine,cka',
    '--out',
    join(ctx.tmp, out),
  ];
  const task = 'cosine + linear CKA from w1.npz';
  const job = (j: Omit<Job, 'times'>): Job => ({ ...j, times: [] });
  const numpy = job({
    task,
    impl: 'NumPy, similarity.py (reference)',
    command: ctx.options.python,
    args: [SCRIPT, input, '--metrics', 'cosine,cka', '--warmup', '0', '--reps', '1'],
  });
  const compiled = job({
    task,
    impl: 'strata analyze, compiled (build/cli/strata.mjs)',
    command: node,
    args: analyze('w7-compiled'),
    out: join(ctx.tmp, 'w7-compiled', 'similarity.json'),
  });
  const threads = job({
    task,
    impl: 'strata analyze, compiled, STRATA_WASM_THREADS=1 (threaded build)',
    command: node,
    args: analyze('w7-threads'),
    env: { STRATA_WASM_THREADS: '1' },
    out: join(ctx.tmp, 'w7-threads', 'similarity.json'),
  });
  const source = job({
    task,
    impl: 'strata analyze from the TypeScript sources (tsx)',
    command: node,
    args: analyze('w7-source'),
    env: FROM_SOURCE,
    out: join(ctx.tmp, 'w7-source', 'similarity.json'),
  });
  const help = (impl: string, env?: Record<string, string>) =>
    job({
      task: 'strata --help (start-up)',
      impl,
      command: node,
      args: ['bin/strata.mjs', '--help'],
      env,
    });
  const helpCompiled = help('compiled (build/cli/strata.mjs)');
  const helpSource = help('from the TypeScript sources (tsx)', FROM_SOURCE);
  const fast = [numpy, compiled, threads, source, helpCompiled, helpSource];
  const failed = new Map<Job, string>();

  // One untimed round first: the file in the page cache, Node's and Python's files too.
  for (let round = -1; round < reps; round++) {
    ctx.log(`W7: round ${round + 1} of ${reps}${round < 0 ? ' (warm-up)' : ''}`);
    for (const j of fast) {
      if (failed.has(j)) continue;
      try {
        const ms = await runJob(j);
        if (round >= 0) j.times.push(ms);
      } catch (e) {
        failed.set(j, messageOf(e));
      }
    }
  }
  const gram = job({
    task: 'linear CKA from w1.npz',
    impl: 'NumPy, pair by pair with N×N Grams (torch_cka-style)',
    command: ctx.options.python,
    args: [
      SCRIPT,
      input,
      '--algorithm',
      'gram',
      '--metrics',
      'cka',
      '--warmup',
      '0',
      '--reps',
      '1',
    ],
  });
  ctx.log(`W7: the pair-by-pair script, up to ${gramReps} runs`);
  try {
    let spent = 0;
    while (gram.times.length < gramReps && !(gram.times.length >= MIN_REPS && spent >= budgetMs)) {
      gram.times.push(await runJob(gram));
      spent += gram.times[gram.times.length - 1];
    }
  } catch (e) {
    failed.set(gram, messageOf(e));
  }

  const timing = (j: Job): Timing | null => (j.times.length ? summarize(j.times) : null);
  const diff = (j: Job) => {
    const ours = j.matrices;
    const ref = numpy.matrices;
    if (!ours || !ref) return '';
    const shared = Object.keys(ours).filter((m) => m in ref);
    return Math.max(...shared.map((m) => maxAbsDifference(ours[m], ref[m])));
  };
  const rows: Row[] = [...fast, gram].map((j) => {
    const t = timing(j);
    if (!t)
      return { task: j.task, impl: j.impl, note: `not measured: ${failed.get(j) ?? 'no runs'}` };
    const facts: Record<string, number | string> = {};
    if (j !== numpy && j.matrices) facts['max abs diff vs NumPy'] = diff(j);
    return { task: j.task, impl: j.impl, timing: t, facts };
  });

  const notes = [
    'Each time is a whole process, from spawn to exit, as `time` reports it: start-up, reading the file, ' +
      'the analysis and writing the result (similarity.json for Strata, JSON on stdout for the scripts).',
    'The file is written as np.savez writes one: an entry per layer, stored (not deflated). Strata reads it ' +
      'once into memory and views the float32 data in place; an entry whose data does not start at a multiple ' +
      'of 4 bytes is copied once to align it (src/engine/io/npy.ts).',
    '"From the TypeScript sources" is how bin/strata.mjs ran before it ran a build: tsx transpiles src/ at ' +
      'every start (STRATA_FROM_SOURCE=1 still does it, for development).',
  ];
  const [c, np, hc] = [timing(compiled), timing(numpy), timing(helpCompiled)];
  if (c && np && hc) {
    notes.push(
      `Of the compiled process's ${(c.median / 1000).toFixed(2)} s, ${(hc.median / 1000).toFixed(2)} s is ` +
        'starting Node and loading the bundle (`strata --help`); the rest is reading, the analysis (W1 times it in ' +
        `memory) and writing. NumPy's whole process takes ${(np.median / 1000).toFixed(2)} s.`,
    );
  }
  return {
    id: 'W7',
    title: 'W1 as whole processes: strata analyze against the NumPy scripts',
    ranAt: new Date().toISOString(),
    loadBefore: 0,
    params: { layers, n, d, file: 'w1.npz (np.savez layout)', reps, seed: 42 },
    rows,
    checks: [
      ratioCheck('W7 strata analyze ≤ 2.5× NumPy, whole processes', c, np, 2.5, 'at most'),
      ratioCheck(
        'W7 strata analyze ≥ 10× faster than pair by pair, whole processes',
        timing(gram),
        c,
        10,
        'at least',
      ),
    ],
    notes,
  };
}
