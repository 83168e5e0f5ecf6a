// What W6's encoder and decoder rows share: the compiled CLI as a whole process, the memory
// budget, and PyTorch's load and forward rows.
import type { RealModelOutcome, RealModelTask } from './node/realModel';
import { runNodeChild } from './processes';
import { summarize, type Timing } from './stats';
import { valueCheck } from './targets';
import type { Check, Row } from './types';

/** The memory target: peak ≤ 2.5 × the float32 weights + 300 MB. */
export function memoryBudgetMb(weightsMb: number): number {
  return 2.5 * weightsMb + 300;
}

export function oneRun(ms: number): Timing {
  return { times: [ms], median: ms, min: ms, max: ms, spread: 0 };
}

/** One `strata` command (or the bare load) in a fresh process; throws when it fails. */
export async function strataProcess(task: Omit<RealModelTask, 'kind'>): Promise<RealModelOutcome> {
  const backend = task.backend ?? 'wasm';
  const { result } = await runNodeChild<RealModelOutcome>(backend, { kind: 'real-model', ...task });
  if (result.exitCode !== 0)
    throw new Error(`strata ${task.command} exited with ${result.exitCode}`);
  return result;
}

/** What real_models.py and real_decoders.py report of a PyTorch run. */
export interface TorchForward {
  loadMs: number;
  forwardMs: number;
  forwardTimes: number[];
  samples: number;
  peakRssMb: number;
  parameters: number;
  torch: string;
  maxRelDiff?: number;
}

/** PyTorch's load and forward rows of one model, and the parity check when it compared. */
export function torchForwardRows(
  name: string,
  title: string,
  impl: string,
  t: TorchForward,
): { rows: Row[]; checks: Check[] } {
  const rows: Row[] = [
    {
      task: `${title}: load the checkpoint`,
      impl,
      timing: oneRun(t.loadMs),
      facts: { parameters: t.parameters },
    },
    {
      task: `${title}: hidden states (forward only, median of 3)`,
      impl,
      timing: summarize(t.forwardTimes),
      facts: {
        'samples/s': Number((t.samples / (t.forwardMs / 1000)).toFixed(2)),
        'peak RSS MB': Math.round(t.peakRssMb),
        'max |Δ| / max(1, |value|) vs Strata': t.maxRelDiff ?? '–',
      },
    },
  ];
  const checks =
    t.maxRelDiff === undefined
      ? []
      : [valueCheck(`W6 ${name} hidden states match transformers`, t.maxRelDiff, 1e-4, '')];
  return { rows, checks };
}
