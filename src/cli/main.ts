import { createEngine } from '../engine/api';
import { parseBackendName } from '../engine/backend';
import { nodeEngineHost } from '../engine/nodeHost';
import { enableNodeWasmThreads } from '../engine/nodeWasmThreads';
import { installNodeWebGpu } from '../engine/nodeWebGpu';
import { ANALYZE_USAGE, analyzeCommand } from './commands/analyze';
import { EXITS_USAGE, exitsCommand } from './commands/exits';
import { GENERATE_USAGE, generateCommand } from './commands/generate';
import { HIDDEN_STATES_USAGE, hiddenStatesCommand } from './commands/hiddenStates';
import { LENS_USAGE, lensCommand } from './commands/lens';
import { LM_EXITS_USAGE, lmExitsCommand } from './commands/lmExits';
import { TRAIN_USAGE, trainCommand } from './commands/train';
import type { CommandContext } from './context';
import { UsageError } from './errors';

const COMMANDS: Record<
  string,
  { usage: string; run(argv: string[], ctx: CommandContext): Promise<void> }
> = {
  analyze: { usage: ANALYZE_USAGE, run: analyzeCommand },
  train: { usage: TRAIN_USAGE, run: trainCommand },
  exits: { usage: EXITS_USAGE, run: exitsCommand },
  'hidden-states': { usage: HIDDEN_STATES_USAGE, run: hiddenStatesCommand },
  lens: { usage: LENS_USAGE, run: lensCommand },
  'lm-exits': { usage: LM_EXITS_USAGE, run: lmExitsCommand },
  generate: { usage: GENERATE_USAGE, run: generateCommand },
};

export const USAGE = `Strata — layer-by-layer similarity, aligned training and early exit for transformer classifiers.

${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n\n')}

Backends in Node: wasm (default, fastest) or cpu.
STRATA_WASM_THREADS=1 runs wasm's threaded build on worker_threads (all cores).`;

/** Runs the command line; returns the exit code. Errors go to stderr, never half-written output. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(
      `strata: unknown command "${name}", expected one of ${Object.keys(COMMANDS).join(', ')}\n`,
    );
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  const ctx: CommandContext = {
    backend: null,
    async startEngine(value) {
      const requested = parseBackendName(value, `strata ${name}: --backend`) ?? 'wasm';
      if (requested === 'webgl') {
        throw new UsageError(
          `strata ${name}: --backend webgl is not available in Node; use wasm, cpu or webgpu`,
        );
      }
      // WebGPU through Dawn (the `webgpu` package); without an adapter, wasm, and the log says so.
      let backend = requested;
      if (requested === 'webgpu' && (await installNodeWebGpu()) === null) {
        ctx.log(
          `strata ${name}: --backend webgpu: Dawn found no WebGPU adapter (it needs a Vulkan driver); using wasm`,
        );
        backend = 'wasm';
      }
      // wasm's threaded build on worker_threads, opt-in: it did not win on every machine measured
      // (bench/RESULTS.md, W1 and W2 rows "threaded build").
      if (backend === 'wasm' && process.env.STRATA_WASM_THREADS === '1')
        await enableNodeWasmThreads();
      const engine = createEngine(nodeEngineHost());
      ctx.backend = await engine.init({ backend });
      if (ctx.backend.threads)
        ctx.log(`strata ${name}: wasm's threaded build runs on worker_threads`);
      return engine;
    },
    log: (line) => process.stderr.write(line + '\n'),
  };
  try {
    await command.run(rest, ctx);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`strata ${name}: error: ${message}\n`);
    if (!(e instanceof UsageError) && process.env.STRATA_DEBUG)
      process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}
