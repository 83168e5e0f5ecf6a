import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { messageOf, type BenchContext } from './context';
import type { RealModelOutcome } from './node/realModel';
import { repoRoot, runProcess, runPythonJson } from './processes';
import {
  memoryBudgetMb,
  oneRun,
  strataProcess,
  torchForwardRows,
  type TorchForward,
} from './realModelRuns';
import { valueCheck } from './targets';
import type { Check, Row } from './types';

const SCRIPT = 'bench/reference/real_decoders.py';
const DECODERS = [
  { name: 'gpt2-small', title: 'GPT-2 small (124M parameters, vocabulary 50257, 8 × 128 tokens)' },
  {
    name: 'llama-small',
    title: 'Llama, 12 × 768, 4 kv heads (125M parameters, vocabulary 32000, 8 × 128 tokens)',
  },
] as const;
/** The decoders' row titles: W6's rows whose task begins with one are about a decoder. */
export const DECODER_TITLES: readonly string[] = DECODERS.map((d) => d.title);
/** Samples in every decoder's input (real_decoders.py), rows 4..7 padded after 64 tokens. */
const SAMPLES = 8;

interface TorchDecoderRun extends TorchForward {
  lensMs: number;
  lensMaxRelDiff?: number;
  lensAccuracyMaxDiff?: number;
}

export interface DecoderBench {
  /** The forward batch of every command, as the encoders use it. */
  batchSize: number;
  backend: 'wasm' | 'webgpu';
  modelsDir: string;
  python: string;
  hasTorch: boolean;
}

/**
 * W6's decoder rows: GPT-2 small and a Llama of the same size (random weights, real_decoders.py)
 * through the compiled command line as whole processes — load, `strata hidden-states`,
 * `strata lens` — with peak memory against the budget, and PyTorch's forward and lens on the same
 * ids, with the largest differences of hidden states and of the lens' values.
 */
export async function benchDecoders(
  ctx: BenchContext,
  o: DecoderBench,
): Promise<{ rows: Row[]; checks: Check[]; notes: string[] }> {
  const rows: Row[] = [];
  const checks: Check[] = [];
  const notes: string[] = [];
  const impl = `Strata CLI, Node ${o.backend} (own process)`;
  if (o.hasTorch) {
    ctx.log('W6: making the decoder checkpoints (kept from an earlier run when present)');
    const made = await runProcess(o.python, [join(repoRoot, SCRIPT), 'make', o.modelsDir]);
    if (made.code !== 0) notes.push(`real_decoders.py make failed: ${made.stderr.slice(-400)}`);
  }
  for (const model of DECODERS) {
    const dir = join(o.modelsDir, model.name);
    if (!existsSync(join(dir, 'model.safetensors'))) {
      rows.push({
        task: model.title,
        impl: 'all',
        note: `skipped: ${dir} is missing and ${o.python} cannot import torch and transformers to make it`,
      });
      continue;
    }
    const npz = join(ctx.tmp, `${model.name}-hidden.npz`);
    const lensDir = join(ctx.tmp, `${model.name}-lens`);
    const base = { dir, batchSize: o.batchSize, backend: o.backend };
    const measure = async (
      command: 'load' | 'hidden-states' | 'lens',
      task: string,
      out: string,
      extra: (run: RealModelOutcome) => Record<string, number | string> = () => ({}),
    ): Promise<RealModelOutcome | null> => {
      ctx.log(`W6: ${model.name}: strata ${command}`);
      try {
        const run = await strataProcess({ ...base, command, out });
        rows.push({
          task: `${model.title}: ${task}`,
          impl,
          timing: oneRun(run.ms),
          facts: {
            'peak RSS MB': Math.round(run.peakRssMb),
            'budget MB (2.5 × weights + 300)': Math.round(memoryBudgetMb(run.weightsMb)),
            ...extra(run),
          },
        });
        if (command !== 'load')
          checks.push(
            valueCheck(
              `W6 ${model.name} ${command} peak ≤ 2.5 × weights + 300 MB`,
              run.peakRssMb,
              memoryBudgetMb(run.weightsMb),
              'MB',
            ),
          );
        return run;
      } catch (e) {
        rows.push({ task: `${model.title}: ${task}`, impl, note: `failed: ${messageOf(e)}` });
        return null;
      }
    };
    const load = await measure('load', 'load the checkpoint', npz, (r) => ({
      'weights MB': Math.round(r.weightsMb),
    }));
    const perSecond = (r: RealModelOutcome) =>
      load ? Number((SAMPLES / ((r.ms - load.ms) / 1000)).toFixed(3)) : '–';
    const hidden = await measure(
      'hidden-states',
      'strata hidden-states (load + forward + write, logits [8, 128, V] included)',
      npz,
      (r) => ({ 'samples/s': perSecond(r) }),
    );
    const lens = await measure(
      'lens',
      'strata lens (load + lens of every layer)',
      lensDir,
      (r) => ({
        'samples/s': perSecond(r),
      }),
    );
    if (!o.hasTorch) continue;
    ctx.log(`W6: ${model.name}: PyTorch`);
    const torchImpl = 'PyTorch CPU, 2 threads, transformers (reference)';
    try {
      const args = [o.modelsDir, model.name, '--batch', String(o.batchSize), '--reps', '3'];
      if (hidden) args.push('--compare', npz);
      if (lens) args.push('--lens', join(lensDir, 'lens.json'));
      const t = await runPythonJson<TorchDecoderRun>(o.python, SCRIPT, ['torch', ...args]);
      ctx.machine.torch = t.torch;
      const torchRows = torchForwardRows(model.name, model.title, torchImpl, t);
      rows.push(...torchRows.rows, {
        task: `${model.title}: lens (forward + every layer's logits, float64 scores)`,
        impl: torchImpl,
        timing: oneRun(t.lensMs),
        facts: {
          'samples/s': Number((t.samples / (t.lensMs / 1000)).toFixed(2)),
          'lens loss, KL, rank: max |Δ| / max(1, |value|) vs Strata': t.lensMaxRelDiff ?? '–',
          'lens accuracy: max |Δ| vs Strata': t.lensAccuracyMaxDiff ?? '–',
        },
      });
      checks.push(...torchRows.checks);
      if (t.lensMaxRelDiff !== undefined && t.lensAccuracyMaxDiff !== undefined)
        checks.push(
          valueCheck(
            `W6 ${model.name} lens loss, KL and rank match transformers`,
            t.lensMaxRelDiff,
            1e-4,
            '',
          ),
          valueCheck(
            `W6 ${model.name} lens accuracy matches transformers`,
            t.lensAccuracyMaxDiff,
            1e-4,
            '',
          ),
        );
    } catch (e) {
      rows.push({
        task: `${model.title}: PyTorch`,
        impl: torchImpl,
        note: `failed: ${messageOf(e)}`,
      });
    }
  }
  notes.push(
    'Decoders: random weights of GPT2Config() (GPT-2 small, tied head) and of a Llama of the same size ' +
      '(LlamaConfig: hidden 768, 12 layers, 12 heads with 4 key/value heads, MLP 2048, vocabulary 32000, ' +
      'RoPE theta 10000, untied head), made by `python bench/reference/real_decoders.py make bench/models`, ' +
      'each with input.npz (8 × 128 random ids, rows 4..7 padded after 64 tokens); no tokenizer, the commands read ids. ' +
      'Hidden states are compared on real positions only; the lens scores positions whose token and next are real ' +
      "(PyTorch's lens applies the final norm and head to every hidden state and scores in float64). " +
      "Strata's samples/s subtracts the load row's time.",
  );
  return { rows, checks, notes };
}
