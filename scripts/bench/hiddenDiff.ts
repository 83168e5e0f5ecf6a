// How far two sets of hidden states are apart, as bench/reference/real_models.py --compare measures
// it: the largest |a − b| / max(1, |b|) over every element of every hidden_<l>.
import type { NamedArray } from '../../src/engine/io/dtypes';

/** Largest |a − b| / max(1, |b|) over the elements of two arrays of one length. */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new Error(`hiddenDiff.ts maxRelativeDifference: ${a.length} values against ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    // NaN on either side is the largest difference there is.
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

/**
 * The largest relative difference over the `hidden_<l>` arrays of `ours` against `reference`:
 * both must hold the same layers with the same shapes (the logits are left out, as in Python).
 */
export function hiddenStatesDifference(
  ours: readonly NamedArray[],
  reference: readonly NamedArray[],
): { maxRelDiff: number; layers: number } {
  const hidden = (arrays: readonly NamedArray[]) =>
    new Map(arrays.filter((a) => /^hidden_\d+$/.test(a.name)).map((a) => [a.name, a]));
  const mine = hidden(ours);
  const theirs = hidden(reference);
  if (mine.size === 0 || mine.size !== theirs.size)
    throw new Error(
      `hiddenDiff.ts: ${mine.size} hidden_<l> arrays against ${theirs.size} in the reference; expected the same layers`,
    );
  let worst = 0;
  for (const [name, a] of mine) {
    const b = theirs.get(name);
    if (!b || a.shape.join() !== b.shape.join())
      throw new Error(
        `hiddenDiff.ts: ${name} is [${a.shape.join(', ')}] here and ${b ? `[${b.shape.join(', ')}]` : 'missing'} in the reference`,
      );
    worst = Math.max(
      worst,
      maxRelativeDifference(a.data as ArrayLike<number>, b.data as ArrayLike<number>),
    );
  }
  return { maxRelDiff: worst, layers: mine.size };
}
