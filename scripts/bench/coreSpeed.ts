import { cpus } from 'node:os';
import { runProcess } from './processes';
import type { Check, Row } from './types';

/**
 * A shared or virtual machine can give its cores unequal speeds (another guest holding one): a
 * two-thread reference (OpenBLAS, PyTorch) then waits on the slow core while a one-thread row does
 * not, and a ratio between them says more about the host than about the code. Each workload
 * records the cores' speeds just before it runs, and a target against a multi-threaded reference
 * is flagged when they differ.
 */

/** Below this ratio of slowest to fastest core, a ratio to a multi-threaded reference is no verdict. */
export const BALANCED = 0.85;

/** A fixed integer loop; prints its milliseconds. The same work on every core. */
const SPIN = `let s = 0; const t = performance.now(); for (let i = 0; i < 6e7; i++) s = (s + i) | 0; process.stdout.write(String(performance.now() - t) + (s ? '' : ' '));`;

/**
 * Relative speed of every core, fastest = 1, from the best of `tries` pinned runs of one loop
 * (`taskset -c i`). Null where the loop cannot be pinned (no taskset).
 */
export async function measureCoreSpeeds(tries = 2): Promise<number[] | null> {
  const times: number[] = [];
  for (let core = 0; core < cpus().length; core++) {
    let best = Infinity;
    for (let t = 0; t < tries; t++) {
      const run = await runProcess('taskset', ['-c', String(core), process.execPath, '-e', SPIN], {
        echo: false,
        timeoutMs: 60_000,
      }).catch(() => null);
      const ms = run?.code === 0 ? Number.parseFloat(run.stdout) : NaN;
      if (!Number.isFinite(ms)) return null;
      best = Math.min(best, ms);
    }
    times.push(best);
  }
  return relativeSpeeds(times);
}

/** Speeds from times: the fastest core's time over each core's. */
export function relativeSpeeds(times: readonly number[]): number[] {
  const fastest = Math.min(...times);
  return times.map((t) => fastest / t);
}

/** Of two probes (before and after a workload), the one whose slowest core was slowest. */
export function worseBalanced(a: number[] | null, b: number[] | null): number[] | null {
  if (!a || !b) return a ?? b;
  return Math.min(...b) < Math.min(...a) ? b : a;
}

/** "1.00, 0.55" and whether the cores were balanced enough for ratios to multi-threaded references. */
export function describeCoreSpeeds(speeds: readonly number[]): { text: string; balanced: boolean } {
  return {
    text: speeds.map((s) => s.toFixed(2)).join(', '),
    balanced: Math.min(...speeds) >= BALANCED,
  };
}

/** Targets whose reference runs on several threads: NumPy's OpenBLAS (its pair-by-pair script too), PyTorch. */
const MULTI_THREADED_REFERENCE = /NumPy|PyTorch|pair by pair/;

/**
 * The checks of a run whose cores were unequal, with a caveat on every target whose reference runs
 * on several threads (NumPy's OpenBLAS, PyTorch on 2 threads): met or missed, it is not a verdict.
 */
export function caveatUnequalCores(checks: readonly Check[], speeds: readonly number[]): Check[] {
  const { text, balanced } = describeCoreSpeeds(speeds);
  if (balanced) return [...checks];
  return checks.map((c) =>
    MULTI_THREADED_REFERENCE.test(c.target)
      ? {
          ...c,
          caveat:
            `the cores ran at unequal speeds (${text}, fastest = 1), which slows a ` +
            'multi-threaded reference more than a one-thread row',
        }
      : c,
  );
}

/**
 * A two-thread reference slower than the same library on one thread (PyTorch's step, in a run where
 * a core was held part of the time, between the probes): the targets against it are no verdict.
 */
export function caveatSlowTwoThreads(checks: readonly Check[], rows: readonly Row[]): Check[] {
  const two = rows.find((r) => r.impl.includes('2 threads') && r.impl.includes('(reference)'));
  const library = two?.impl.split(',')[0];
  const one = rows.find(
    (r) =>
      library && r.impl.startsWith(library) && r.impl.includes('1 thread') && r.task === two?.task,
  );
  if (!two?.timing || !one?.timing || two.timing.median <= one.timing.median) return [...checks];
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const caveat =
    `${library}'s two-thread reference (${ms(two.timing.median)}) was slower than its one-thread ` +
    `run (${ms(one.timing.median)}): a core was held during the run`;
  return checks.map((c) =>
    c.target.includes(library!) ? { ...c, caveat: c.caveat ?? caveat } : c,
  );
}
