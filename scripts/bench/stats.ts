/** Repeated timings of one benchmark row and their summary. */
export interface Timing {
  /** Milliseconds of each measured repetition, in the order they ran (warm-ups excluded). */
  times: number[];
  median: number;
  min: number;
  max: number;
  /** Half the range over the median, (max − min) / (2 · median): ± this fraction. */
  spread: number;
}

/** The median of a non-empty list (the mean of the two middle values for an even length). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median: no values, expected at least one timing');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Summarises measured repetitions (see Timing). */
export function summarize(times: readonly number[]): Timing {
  const m = median(times);
  const min = Math.min(...times);
  const max = Math.max(...times);
  return { times: [...times], median: m, min, max, spread: m > 0 ? (max - min) / (2 * m) : 0 };
}

export interface RepeatOptions {
  /** Untimed runs first (JIT, kernel compilation, memory growth). */
  warmup: number;
  /** Timed runs wanted. */
  reps: number;
  /**
   * Stop after this many measured milliseconds once MIN_REPS runs are in, so that slow rows
   * (the cpu backend, the pair-by-pair reference) keep the whole benchmark within reach.
   */
  budgetMs?: number;
}

/** Fewest timed runs a row reports when a time budget cuts it short (a median and a spread). */
export const MIN_REPS = 3;

/**
 * Runs `work` warmup + reps times, one after the other, and times the measured runs with
 * performance.now(). `work` must only resolve once its results are on the host (a readback).
 */
export async function timeRepeated(
  work: () => Promise<unknown>,
  { warmup, reps, budgetMs = Infinity }: RepeatOptions,
): Promise<Timing> {
  if (!(reps >= 1)) throw new Error(`timeRepeated: reps is ${reps}, expected at least 1`);
  for (let i = 0; i < warmup; i++) await work();
  const times: number[] = [];
  let spent = 0;
  while (times.length < reps && !(times.length >= MIN_REPS && spent >= budgetMs)) {
    const start = performance.now();
    await work();
    const elapsed = performance.now() - start;
    times.push(elapsed);
    spent += elapsed;
  }
  return summarize(times);
}

/** The largest |a − b| over two matrices of the same shape (nulls must sit at the same places). */
export function maxAbsDifference(
  a: readonly (readonly (number | null)[])[],
  b: readonly (readonly (number | null)[])[],
): number {
  if (a.length !== b.length)
    throw new Error(`maxAbsDifference: ${a.length} rows against ${b.length}`);
  let worst = 0;
  a.forEach((row, i) => {
    if (row.length !== b[i].length) {
      throw new Error(
        `maxAbsDifference: row ${i} has ${row.length} entries against ${b[i].length}`,
      );
    }
    row.forEach((x, j) => {
      const y = b[i][j];
      if ((x === null) !== (y === null)) worst = Infinity;
      else if (x !== null && y !== null) worst = Math.max(worst, Math.abs(x - y));
    });
  });
  return worst;
}

/**
 * Least-squares slope of y against x (units of y per unit of x): how fast a quantity grows over
 * a run, for the leak checks. 0 for fewer than two points.
 */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n !== ys.length) throw new Error(`slope: ${n} x values against ${ys.length} y values`);
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
