import { WORKLOAD_IDS, type WorkloadId } from './types';

export type NodeBackend = 'wasm' | 'wasm-threads' | 'cpu' | 'webgpu';
const NODE_BACKENDS: readonly string[] = ['wasm', 'wasm-threads', 'cpu', 'webgpu'];
export type BrowserBackend = 'wasm' | 'webgpu';
/** Which of W6's models run: the encoders (ViT-B/16, BERT-base), the decoders, or all. */
export type W6Part = 'all' | 'encoders' | 'decoders';
const W6_PARTS: readonly string[] = ['all', 'encoders', 'decoders'];

export interface BenchOptions {
  only: WorkloadId[];
  quick: boolean;
  /** Overrides every row's timed repetitions. */
  reps?: number;
  backends: NodeBackend[];
  /** Backends of the in-browser rows of W1 and W2 (headless Chromium); none when empty. */
  browserBackends: BrowserBackend[];
  /** Folder for RESULTS.md and results.json. */
  out: string;
  /** Python with NumPy (W1), and Python with PyTorch (W2). */
  python: string;
  torchPython: string;
  help: boolean;
  /** Only rewrite RESULTS.md from results.json (after a change to the report). */
  reportOnly: boolean;
  /** W6's models to run; the other part's rows are kept from results.json. */
  w6: W6Part;
}

export const USAGE = `npm run bench -- [options]
  --only W1,W2      workloads to run (W1 similarity, W1b Procrustes/SVCCA/k-NN, W2 training step, W3 page, W4 scale,
                    W5 leaks, W6 real-size models, W7 W1 as whole processes); default all. Results of the others are kept from results.json.
  --report-only     rewrite RESULTS.md from results.json, run nothing
  --w6 PART         W6's models: all (default), encoders (ViT-B/16, BERT-base) or decoders (GPT-2 small,
                    the Llama); the other part's W6 rows are kept from results.json
  --quick           small sizes and few repetitions (development); writes to a temp folder
                    unless --out is given
  --reps R          timed repetitions per row (default per workload)
  --backends wasm,cpu   Node backends (default wasm,cpu); webgpu runs W1, W2 and W6 on Dawn's
                    WebGPU in Node (the \`webgpu\` package; a Vulkan driver, else Chromium's
                    SwiftShader), rows named by the adapter, with GPU work counted;
                    wasm-threads runs W1 and W2 on wasm's threaded build (worker_threads)
  --backend B       the same as --backends
  --browser wasm,webgpu|none   backends of the W1/W2 rows in headless Chromium (default both)
  --out DIR         where RESULTS.md and results.json go (default bench/)
  --python P        Python with NumPy for the W1 references (default python3)
  --torch-python P  Python with PyTorch for the W2 reference (default $STRATA_BENCH_TORCH_PYTHON,
                    else .venv/bin/python or /work/venv-ref/bin/python if present, else python3)`;

function valueOf(args: string[], i: number, flag: string): string {
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--'))
    throw new Error(`bench: ${flag} needs a value\n${USAGE}`);
  return value;
}

/** Parses the command line of bench/run.ts; throws with the usage on anything unknown. */
export function parseOptions(
  args: readonly string[],
  defaults: Pick<BenchOptions, 'out' | 'python' | 'torchPython'> & { quickOut: string },
): BenchOptions {
  const options: BenchOptions = {
    only: [...WORKLOAD_IDS],
    quick: false,
    backends: ['wasm', 'cpu'],
    browserBackends: ['wasm', 'webgpu'],
    out: defaults.out,
    python: defaults.python,
    torchPython: defaults.torchPython,
    help: false,
    reportOnly: false,
    w6: 'all',
  };
  let outGiven = false;
  const list = [...args];
  for (let i = 0; i < list.length; i++) {
    const flag = list[i];
    if (flag === '--quick') options.quick = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--report-only') options.reportOnly = true;
    else if (flag === '--only') {
      // Case-insensitive: w1b names W1b.
      const ids = valueOf(list, i++, flag)
        .split(',')
        .map((s) => WORKLOAD_IDS.find((id) => id.toUpperCase() === s.trim().toUpperCase()) ?? s);
      const bad = ids.filter((id) => !(WORKLOAD_IDS as readonly string[]).includes(id));
      if (bad.length) {
        throw new Error(
          `bench: --only ${bad.join(',')}: expected some of ${WORKLOAD_IDS.join(',')}`,
        );
      }
      options.only = ids as WorkloadId[];
    } else if (flag === '--reps') {
      const reps = Number(valueOf(list, i++, flag));
      if (!Number.isInteger(reps) || reps < 1)
        throw new Error(`bench: --reps ${list[i]}: expected an integer ≥ 1`);
      options.reps = reps;
    } else if (flag === '--backends' || flag === '--backend') {
      const names = valueOf(list, i++, flag).split(',');
      const bad = names.filter((b) => !NODE_BACKENDS.includes(b));
      if (bad.length)
        throw new Error(
          `bench: ${flag} ${bad.join(',')}: expected some of ${NODE_BACKENDS.join(', ')}`,
        );
      options.backends = names as NodeBackend[];
    } else if (flag === '--browser') {
      const value = valueOf(list, i++, flag);
      const names = value === 'none' ? [] : value.split(',');
      const bad = names.filter((b) => b !== 'wasm' && b !== 'webgpu');
      if (bad.length)
        throw new Error(`bench: --browser ${bad.join(',')}: expected wasm, webgpu or none`);
      options.browserBackends = names as BrowserBackend[];
    } else if (flag === '--out') {
      options.out = valueOf(list, i++, flag);
      outGiven = true;
    } else if (flag === '--python') options.python = valueOf(list, i++, flag);
    else if (flag === '--torch-python') options.torchPython = valueOf(list, i++, flag);
    else if (flag === '--w6') {
      const part = valueOf(list, i++, flag);
      if (!W6_PARTS.includes(part))
        throw new Error(`bench: --w6 ${part}: expected ${W6_PARTS.join(', ')}`);
      options.w6 = part as W6Part;
    } else throw new Error(`bench: unknown option ${flag}\n${USAGE}`);
  }
  if (options.quick && !outGiven) options.out = defaults.quickOut;
  return options;
}
