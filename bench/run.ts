// Strata's benchmarks against reference implementations, side by side on this machine.
//   npm run bench                      # everything: W1–W7, Node wasm and cpu, the references
//   npm run bench -- --only W2         # one workload; the others are kept from results.json
//   npm run bench -- --quick           # small sizes, into a temp folder (development)
// Writes bench/RESULTS.md and bench/results.json. Each job runs in its own process, one at a
// time; run it on an otherwise idle machine (the load average is recorded with each workload).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowserSession, type BrowserSession } from '../scripts/bench/browserSession';
import type { BenchContext } from '../scripts/bench/context';
import { explanations } from '../scripts/bench/explain';
import { measureCoreSpeeds, worseBalanced } from '../scripts/bench/coreSpeed';
import { describeMachine } from '../scripts/bench/machine';
import { parseOptions, USAGE } from '../scripts/bench/options';
import { repoRoot } from '../scripts/bench/processes';
import { renderReport } from '../scripts/bench/report';
import { FULL_SIZES, QUICK_SIZES } from '../scripts/bench/sizes';
import type { BenchResults, WorkloadId, WorkloadResult } from '../scripts/bench/types';
import { benchSimilarity } from '../scripts/bench/w1Similarity';
import { benchCrossMeasures } from '../scripts/bench/w1bCross';
import { benchTraining } from '../scripts/bench/w2Training';
import { benchPage } from '../scripts/bench/w3Page';
import { benchScale } from '../scripts/bench/w4Scale';
import { benchLeaks } from '../scripts/bench/w5Leaks';
import { benchRealModels } from '../scripts/bench/w6RealModels';
import { benchProcesses } from '../scripts/bench/w7Processes';

const RUNNERS: Record<WorkloadId, (ctx: BenchContext) => Promise<WorkloadResult>> = {
  W1: benchSimilarity,
  W1b: benchCrossMeasures,
  W2: benchTraining,
  W3: benchPage,
  W4: benchScale,
  W5: benchLeaks,
  W6: benchRealModels,
  W7: benchProcesses,
};

/** Where a Python with PyTorch is looked for when $STRATA_BENCH_TORCH_PYTHON is not set. */
/** The benchmark page's port: $STRATA_BENCH_PAGE_PORT (so that several checkouts can run), else W3's + 1. */
function pagePort(sizes: { w3: { port: number } }): number {
  const port = Number(process.env.STRATA_BENCH_PAGE_PORT);
  return Number.isInteger(port) && port > 0 ? port : sizes.w3.port + 1;
}

const TORCH_PYTHONS = [join(repoRoot, '.venv/bin/python'), '/work/venv-ref/bin/python'];

const PREFACE = [
  'Written by `npm run bench` (bench/run.ts; the harness is in scripts/bench/, the references in bench/reference/,',
  'the in-browser page in bench/browser/). Every row runs in its own process, one at a time, on this machine;',
  'medians of repeated runs after warm-up; "±" is half the min–max range over the median; "× reference" divides',
  'a median by the reference row of the same task. Rerun one workload with `npm run bench -- --only W1` (the others',
  'are kept); `--report-only` rewrites this file from results.json.',
  'WebGPU without a browser: `npm run bench -- --backend webgpu --only W1,W2` runs the Node rows on Dawn (the `webgpu`',
  'package; a Vulkan driver, else Chromium’s SwiftShader), named by the adapter, with the GPU work of one analysis or step',
  'counted (passes, dispatches, uploads, readbacks, submits). On a machine with a GPU, one call does all of it:',
  '`OUT=folder bash scripts/bench/gpu-device.sh` (nvidia-smi, vulkaninfo, the adapter, then W1, W2 and W6 when bench/models',
  'was made there, within 500 s; PyTorch CUDA rows when torch sees the GPU).',
  'The counts of GPU work on the software adapter: bench/webgpu-swiftshader/.',
];

async function previousResults(
  path: string,
  mode: BenchResults['mode'],
): Promise<BenchResults | null> {
  if (!existsSync(path)) return null;
  try {
    const old = JSON.parse(await readFile(path, 'utf8')) as BenchResults;
    return old.mode === mode ? old : null;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), {
    out: join(repoRoot, 'bench'),
    python: 'python3',
    torchPython:
      process.env.STRATA_BENCH_TORCH_PYTHON ??
      TORCH_PYTHONS.find((p) => existsSync(p)) ??
      'python3',
    quickOut: join(tmpdir(), 'strata-bench-quick'),
  });
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const mode = options.quick ? 'quick' : 'full';
  await mkdir(options.out, { recursive: true });
  const jsonPath = join(options.out, 'results.json');
  const mdPath = join(options.out, 'RESULTS.md');
  const old = await previousResults(jsonPath, mode);
  if (options.reportOnly) {
    if (!old) throw new Error(`bench: no ${mode} results in ${jsonPath} to report`);
    await writeFile(mdPath, renderReport(old, explanations(old), PREFACE) + '\n');
    console.error(`[bench] wrote ${mdPath} from ${jsonPath}`);
    return 0;
  }
  const results: BenchResults = {
    mode,
    machine: { ...old?.machine, ...describeMachine() },
    workloads: { ...old?.workloads },
  };
  const tmp = await mkdtemp(join(tmpdir(), 'strata-bench-'));
  const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
  // Opened by a workload that needs it, closed after it (kept in an object for the types).
  const opened: { session: Promise<BrowserSession> | null } = { session: null };
  const ctx: BenchContext = {
    options,
    sizes,
    tmp,
    machine: results.machine,
    log: (message) => console.error(`[bench] ${message}`),
    browser: () =>
      (opened.session ??= openBrowserSession(join(tmp, 'bench-page'), pagePort(sizes))),
  };
  const closeBrowser = async () => {
    const session = opened.session;
    opened.session = null;
    await session?.then((s) => s.close()).catch(() => undefined);
  };
  try {
    for (const id of options.only) {
      const load = loadavg()[0];
      if (load > 0.5)
        ctx.log(
          `${id}: load average ${load.toFixed(2)} (recent work, this run’s included); timings may suffer`,
        );
      const startedAt = new Date().toISOString();
      const speedsBefore = await measureCoreSpeeds();
      const result = await RUNNERS[id](ctx);
      const speeds = worseBalanced(speedsBefore, await measureCoreSpeeds());
      result.ranAt = startedAt;
      result.loadBefore = load;
      if (speeds) result.coreSpeeds = speeds;
      results.workloads[id] = result;
      await writeFile(jsonPath, JSON.stringify(results, null, 2) + '\n');
      await writeFile(mdPath, renderReport(results, explanations(results), PREFACE) + '\n');
      ctx.log(`${id} done; wrote ${mdPath}`);
      // A browser left open keeps working (SwiftShader finishing WebGPU work) and would slow the
      // next workload down: close it; the next workload that needs it builds and opens it again.
      await closeBrowser();
    }
  } finally {
    await closeBrowser();
    await rm(tmp, { recursive: true, force: true });
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  },
);
