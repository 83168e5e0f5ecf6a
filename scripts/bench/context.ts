import type { BrowserSession } from './browserSession';
import type { BenchOptions } from './options';
import type { Sizes } from './sizes';
import type { MachineInfo } from './types';

/** What every workload runner gets: the options, the sizes, a scratch folder, the machine record. */
export interface BenchContext {
  options: BenchOptions;
  sizes: Sizes;
  /** A temporary folder for data files shared with the references (removed at the end). */
  tmp: string;
  /** Filled in by the runners as they learn versions (NumPy, BLAS, PyTorch, wasm). */
  machine: MachineInfo;
  log(message: string): void;
  /** The benchmark page open in Chromium, built on first use and closed at the end of the run. */
  browser(): Promise<BrowserSession>;
}

/** `e.message`, or the value as text. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Repetitions for a row: --reps when given, else the workload's own. */
export function repsFor(ctx: BenchContext, own: number): number {
  return ctx.options.reps ?? own;
}
