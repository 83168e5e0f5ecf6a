import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { messageOf, type BenchContext } from './context';
import { pythonCan, repoRoot, runProcess, runPythonJson } from './processes';
import {
  memoryBudgetMb,
  oneRun,
  strataProcess,
  torchForwardRows,
  type TorchForward,
} from './realModelRuns';
import { valueCheck } from './targets';
import type { Timing } from './stats';
import type { Check, Row, WorkloadResult } from './types';
import { chromiumRealModel } from './w6Chromium';
import { benchDecoders } from './w6Decoders';
import { mergeW6Part, previousW6 } from './w6Parts';

const SCRIPT = 'bench/reference/real_models.py';
/** Where real_models.py writes the checkpoints (ignored by git, never shipped). */
export const REAL_MODELS_DIR = join(repoRoot, 'bench/models');
const MODELS = [
  { name: 'vit-b16', title: 'ViT-B/16 (86M parameters, 224×224, 8 images)' },
  { name: 'bert-base', title: 'BERT-base (110M parameters, 8 × 128 tokens, 4 of them padded)' },
] as const;
/** Samples in every model's input (real_models.py). */
const SAMPLES = 8;

/**
 * W6: ViT-B/16 and BERT-base with random weights of their standard configurations, made by
 * bench/reference/real_models.py: load time, peak memory and hidden states per second through the
 * command line on Node wasm, side by side with PyTorch CPU (2 threads) on the same inputs, and how
 * far the two sets of hidden states are apart.
 */
export async function benchRealModels(ctx: BenchContext): Promise<WorkloadResult> {
  const { batchSize, analyzeSamples } = ctx.sizes.w6;
  const rows: Row[] = [];
  const checks: Check[] = [];
  const notes: string[] = [];
  const python = ctx.options.torchPython;
  const part = ctx.options.w6;
  const previous =
    part === 'all' ? null : await previousW6(ctx.options.out, ctx.options.quick ? 'quick' : 'full');
  const encoders = part === 'decoders' ? [] : MODELS;
  // A cold import of torch and transformers on a loaded machine can take minutes.
  const hasTorch = await pythonCan(python, 'import torch, transformers', 5 * 60_000);
  // The Strata rows run the compiled command line, as users run it.
  ctx.log('W6: building the command line (npm run build:cli)');
  const built = await runProcess(process.execPath, ['scripts/build-cli.mjs']);
  if (built.code !== 0) throw new Error(`W6: scripts/build-cli.mjs failed: ${built.stderr}`);
  if (!hasTorch) ctx.log(`W6: ${python} cannot import torch and transformers: no PyTorch rows`);
  // --backend webgpu: the command line on Dawn's WebGPU in Node (a GPU machine); else wasm.
  const backend = ctx.options.backends.includes('webgpu') ? 'webgpu' : 'wasm';
  const result = (): WorkloadResult =>
    mergeW6Part(
      previous,
      {
        id: 'W6',
        title: 'Real-size models: ViT-B/16, BERT-base, GPT-2 small and a Llama of its size',
        ranAt: new Date().toISOString(),
        loadBefore: 0,
        params: { samples: SAMPLES, batchSize, backend, analyzeSamples },
        rows,
        checks,
        notes,
      },
      part,
    );
  if (hasTorch && encoders.length > 0) {
    ctx.log('W6: making the checkpoints (kept from an earlier run when present)');
    const made = await runProcess(python, [join(repoRoot, SCRIPT), 'make', REAL_MODELS_DIR]);
    if (made.code !== 0) notes.push(`real_models.py make failed: ${made.stderr.slice(-400)}`);
  }
  for (const model of encoders) {
    const dir = join(REAL_MODELS_DIR, model.name);
    if (!existsSync(join(dir, 'model.safetensors'))) {
      rows.push({
        task: model.title,
        impl: 'all',
        note: `skipped: ${dir} is missing and ${python} cannot import torch and transformers to make it`,
      });
      continue;
    }
    const out = join(ctx.tmp, `${model.name}-hidden.npz`);
    const strataImpl = `Strata CLI, Node ${backend} (own process)`;
    ctx.log(`W6: ${model.name}: loading`);
    let loadMs: number | null = null;
    try {
      const load = await strataProcess({ command: 'load', dir, batchSize, out, backend });
      loadMs = load.ms;
      rows.push({
        task: `${model.title}: load the checkpoint`,
        impl: strataImpl,
        timing: oneRun(load.ms),
        facts: {
          'weights MB': Math.round(load.weightsMb),
          'peak RSS MB': Math.round(load.peakRssMb),
        },
      });
    } catch (e) {
      rows.push({
        task: `${model.title}: load`,
        impl: strataImpl,
        note: `failed: ${messageOf(e)}`,
      });
    }
    ctx.log(`W6: ${model.name}: strata hidden-states`);
    let strataDone = false;
    let nodeHidden: Timing | null = null;
    try {
      const run = await strataProcess({ command: 'hidden-states', dir, batchSize, out, backend });
      strataDone = true;
      nodeHidden = oneRun(run.ms);
      const forwardMs = loadMs === null ? null : run.ms - loadMs;
      rows.push({
        task: `${model.title}: strata hidden-states (load + forward + write)`,
        impl: strataImpl,
        timing: nodeHidden,
        facts: {
          'samples/s': forwardMs ? Number((SAMPLES / (forwardMs / 1000)).toFixed(2)) : '–',
          'peak RSS MB': Math.round(run.peakRssMb),
          'budget MB (2.5 × weights + 300)': Math.round(memoryBudgetMb(run.weightsMb)),
        },
      });
      checks.push(
        valueCheck(
          `W6 ${model.name} hidden-states peak ≤ 2.5 × weights + 300 MB`,
          run.peakRssMb,
          memoryBudgetMb(run.weightsMb),
          'MB',
        ),
      );
    } catch (e) {
      rows.push({
        task: `${model.title}: strata hidden-states`,
        impl: strataImpl,
        note: `failed: ${messageOf(e)}`,
      });
    }
    if (ctx.options.browserBackends.includes('wasm')) {
      const weightsMb = statSync(join(dir, 'model.safetensors')).size / 2 ** 20;
      const npz = strataDone ? out : null;
      const page = await chromiumRealModel(ctx, model, dir, {
        hiddenStates: nodeHidden,
        npz,
        weightsMb,
      });
      rows.push(...page.rows);
      checks.push(...page.checks);
    } else {
      rows.push({
        task: model.title,
        impl: 'Strata, Chromium',
        note: 'skipped: --browser leaves out wasm',
      });
    }
    if (!hasTorch) continue;
    ctx.log(`W6: ${model.name}: PyTorch`);
    const torchImpl = 'PyTorch CPU, 2 threads, transformers (reference)';
    try {
      const args = [REAL_MODELS_DIR, model.name, '--batch', String(batchSize), '--reps', '3'];
      if (strataDone) args.push('--compare', out);
      const t = await runPythonJson<TorchForward>(python, SCRIPT, ['torch', ...args]);
      ctx.machine.torch = t.torch;
      const torchRows = torchForwardRows(model.name, model.title, torchImpl, t);
      rows.push(...torchRows.rows);
      checks.push(...torchRows.checks);
    } catch (e) {
      rows.push({
        task: `${model.title}: hidden states`,
        impl: torchImpl,
        note: `failed: ${messageOf(e)}`,
      });
    }
  }
  const bert = join(REAL_MODELS_DIR, 'bert-base');
  if (part !== 'decoders' && existsSync(join(bert, 'model.safetensors'))) {
    const task = `BERT-base: strata analyze --dataset imdb --samples ${analyzeSamples}`;
    const impl = `Strata CLI, Node ${backend} (own process)`;
    ctx.log(`W6: ${task}`);
    try {
      const run = await strataProcess({
        command: 'analyze',
        dir: bert,
        batchSize,
        dataset: 'imdb',
        samples: analyzeSamples,
        out: join(ctx.tmp, 'bert-analysis'),
        backend,
      });
      rows.push({
        task,
        impl,
        timing: oneRun(run.ms),
        facts: {
          'peak RSS MB': Math.round(run.peakRssMb),
          'budget MB (2.5 × weights + 300)': Math.round(memoryBudgetMb(run.weightsMb)),
        },
      });
      checks.push(
        valueCheck(
          'W6 bert-base analysis peak ≤ 2.5 × weights + 300 MB',
          run.peakRssMb,
          memoryBudgetMb(run.weightsMb),
          'MB',
        ),
      );
    } catch (e) {
      rows.push({ task, impl, note: `failed: ${messageOf(e)}` });
    }
  }
  const decoders =
    part === 'encoders'
      ? { rows: [], checks: [], notes: [] }
      : await benchDecoders(ctx, {
          batchSize,
          backend,
          modelsDir: REAL_MODELS_DIR,
          python,
          hasTorch,
        });
  rows.push(...decoders.rows);
  checks.push(...decoders.checks);
  notes.push(...decoders.notes);
  notes.push(
    'The checkpoints are random weights of the standard configurations (ViTConfig(), BertConfig()), made by ' +
      '`python bench/reference/real_models.py make bench/models` (needs torch and transformers); they stay out of git.',
    'Every Strata row is a fresh Node process: its peak RSS is the whole process (Node, tfjs, the wasm heap). ' +
      'The hidden-states and analyze rows run the compiled command line as a user does (node bin/strata.mjs, ' +
      'which runs build/cli/strata.mjs), timed from spawn to exit; the load row loads in a benchmark process. ' +
      "Strata's samples/s subtracts the load row's time from the hidden-states run, which also writes the .npz.",
    'Chromium rows: the benchmark page (bench/browser) gets the folder as a user drops it (config.json, ' +
      'model.safetensors and the input set on an <input type=file multiple>: disk-backed Files the worker reads ' +
      'slice by slice), imports it through the engine worker as the app does (importModel, then discarded), and on ' +
      'a fresh page asks engine.hiddenStates on wasm (the input read in the page; the arrays come back to the page, no file ' +
      'written). Peak wasm heap: the wasm memory of the worker after the job (it never shrinks). Chromium peak RSS: ' +
      'VmRSS summed over the browser process Playwright launched and every process under it (zygotes, the renderer ' +
      'with its workers, GPU and utility processes), from /proc every 200 ms during the job; shared pages count once ' +
      "per process, so it is an upper bound. Each target compares with the Node CLI's hidden-states run " +
      '(same input, same batch size), which also writes its .npz. Main-thread long tasks: PerformanceObserver ' +
      "'longtask' entries (tasks over 50 ms) on the page's main thread from the engine call until its result " +
      'has arrived (the input file is read before).',
    'The BERT-base analysis feeds the built-in IMDB test reviews as they are tokenised for the built-in models ' +
      "(ids within BERT's vocabulary): it measures time and memory, not meaning.",
  );
  return result();
}
