import { browserLabel, trainingInPage } from './browserSession';
import { messageOf, repsFor, type BenchContext } from './context';
import type { TrainingOutcome } from './node/training';
import { gpuFacts, nodeImpl } from './gpu/counter';
import { pythonCan, runNodeChild, runPythonJson } from './processes';
import { summarize, type Timing } from './stats';
import { chromiumCheck, ratioCheck, TARGETS } from './targets';
import type { Row, WorkloadResult } from './types';

interface TorchStep {
  times_ms: number[];
  losses: number[];
  parameters: number;
  threads: number;
  attention: string;
  torch: string;
  peak_rss_mb: number;
}

const SCRIPT = 'bench/reference/train_step.py';

/**
 * W2: one training step of the default built-in ViT (batch B, aligned loss, forward + backward +
 * AdamW) on each Node backend, against the same model and step in PyTorch on the CPU.
 */
export async function benchTraining(ctx: BenchContext): Promise<WorkloadResult> {
  const { batch, warmup, torchReps, budgetMs } = ctx.sizes.w2;
  const reps = repsFor(ctx, ctx.sizes.w2.reps);
  const rows: Row[] = [];
  const notes: string[] = [];
  let profile: WorkloadResult['profile'];
  const strata: Record<string, Timing> = {};
  let torchMain: Timing | null = null;
  let parameters: number | null = null;

  const python = ctx.options.torchPython;
  const hasTorch = await pythonCan(python, 'import torch');
  const torchRuns = [
    { threads: 2, attention: 'sdpa', main: true, device: 'cpu' },
    { threads: 1, attention: 'sdpa', main: false, device: 'cpu' },
    { threads: 2, attention: 'eager', main: false, device: 'cpu' },
  ];
  // On a machine with an NVIDIA GPU, PyTorch on it too: the row to set Node WebGPU against.
  if (hasTorch && (await pythonCan(python, 'import torch; assert torch.cuda.is_available()')))
    torchRuns.push({ threads: 2, attention: 'sdpa', main: false, device: 'cuda' });
  for (const run of torchRuns) {
    const impl =
      run.device === 'cuda'
        ? `PyTorch CUDA, ${run.attention} attention`
        : `PyTorch CPU, ${run.threads} thread${run.threads > 1 ? 's' : ''}, ${run.attention} attention${run.main ? ' (reference)' : ''}`;
    if (!hasTorch) {
      rows.push({
        task: 'training step',
        impl,
        note: `skipped: ${python} cannot import torch (name one that can with --torch-python)`,
      });
      continue;
    }
    ctx.log(`W2: ${impl}`);
    try {
      const out = await runPythonJson<TorchStep>(python, SCRIPT, [
        '--threads',
        String(run.threads),
        '--batch',
        String(batch),
        '--attention',
        run.attention,
        '--device',
        run.device,
        '--warmup',
        String(warmup),
        '--reps',
        String(ctx.options.reps ?? torchReps),
      ]);
      ctx.machine.torch = out.torch;
      const timing = summarize(out.times_ms);
      if (run.main) torchMain = timing;
      parameters = out.parameters;
      rows.push({
        task: 'training step',
        impl,
        timing,
        facts: { parameters: out.parameters, 'peak RSS MB': Math.round(out.peak_rss_mb) },
      });
    } catch (e) {
      rows.push({ task: 'training step', impl, note: `failed: ${messageOf(e)}` });
    }
  }

  for (const backend of ctx.options.backends) {
    ctx.log(`W2: Strata on Node ${backend}`);
    try {
      const { details, result } = await runNodeChild<TrainingOutcome>(backend, {
        kind: 'training',
        batch,
        repeat: { warmup: backend === 'cpu' ? 1 : warmup, reps, budgetMs },
        profile: backend === 'wasm',
      });
      strata[backend] = result.timing;
      const impl = nodeImpl(backend, details.adapter);
      rows.push({
        task: 'training step',
        impl,
        timing: result.timing,
        facts: {
          parameters: result.parameters,
          'parameter tensors': result.tensors,
          ...gpuFacts(result.gpu),
        },
      });
      rows.push(
        { task: 'forward + aligned loss', impl, timing: result.phases.forward },
        { task: 'forward + loss + backward', impl, timing: result.phases.forwardBackward },
        { task: 'AdamW update', impl, timing: result.phases.adamw },
      );
      if (parameters !== null && parameters !== result.parameters) {
        notes.push(`Parameter counts differ: Strata ${result.parameters}, PyTorch ${parameters}.`);
      }
      if (result.profile) {
        profile = { title: `tf.profile of one step on Node ${backend}`, ...result.profile };
      }
    } catch (e) {
      rows.push({
        task: 'training step',
        impl: `Strata, Node ${backend}`,
        note: `failed: ${messageOf(e)}`,
      });
    }
  }
  let chromiumWasm: Timing | null = null;
  for (const backend of ctx.options.browserBackends) {
    // WebGPU here is SwiftShader (a CPU emulating a GPU): a few steps only.
    const gpu = backend === 'webgpu';
    ctx.log(`W2: Strata in Chromium, ${backend}`);
    try {
      const session = await ctx.browser();
      const spec = {
        model: 'mnist-aligned',
        dataset: 'mnist',
        batch,
        warmup: gpu ? 1 : warmup,
        reps: gpu ? 2 : reps,
      };
      const { info, result } = await session.run(
        backend,
        (page) => trainingInPage(page, spec),
        gpu ? 8 * 60_000 : 10 * 60_000,
      );
      const timing = summarize(result.times);
      if (backend === 'wasm') chromiumWasm = timing;
      rows.push({ task: 'training step', impl: browserLabel(info), timing });
    } catch (e) {
      rows.push({
        task: 'training step',
        impl: `Strata, Chromium ${backend}`,
        note: `not measured: ${messageOf(e)}`,
      });
    }
  }
  notes.push(
    'Chromium rows fine-tune the built-in mnist-aligned checkpoint on MNIST through the engine worker ' +
      '(bench/browser); each step’s time comes from its log (one step per log, the yield between steps included).',
    'Both sides draw fresh batches of random MNIST-shaped data; Strata times trainer.trainStep with a loss ' +
      'readback every step (so the step has finished when the clock stops), PyTorch times its loop with loss.item().',
    'PyTorch applies weight decay to matrices only and clips the global gradient norm to 1, as Strata does.',
  );
  return {
    id: 'W2',
    title: 'Training step: default ViT, aligned loss, AdamW',
    ranAt: new Date().toISOString(),
    loadBefore: 0,
    params: { model: 'vit-mnist', batch, loss: 'aligned (linear weights)', warmup, reps },
    rows,
    checks: [
      ratioCheck(
        `W2 wasm ≤ ${TARGETS.w2OverTorch}× PyTorch CPU (2 threads)`,
        strata.wasm ?? null,
        torchMain,
        TARGETS.w2OverTorch,
        'at most',
      ),
      chromiumCheck('W2', chromiumWasm, strata.wasm ?? null),
    ],
    notes,
    profile,
  };
}
