import type { Readout } from './figure';

/**
 * The index a key moves a one-dimensional cursor to among `count` positions: left and right arrows step by one,
 * Home and End jump to the ends. Null for keys that do not move it (the caller then ignores them).
 */
export function indexAfterKey(key: string, index: number, count: number): number | null {
  if (count <= 0) return null;
  const moves: Record<string, number> = {
    ArrowLeft: index - 1,
    ArrowRight: index + 1,
    Home: 0,
    End: count - 1,
  };
  if (!(key in moves)) return null;
  return Math.min(Math.max(moves[key], 0), count - 1);
}

/**
 * The focus and key handlers of a readout that walks a row of positions: `at()` gives the cursor
 * (below 0 when there is none yet) and the number of positions; focus shows the cursor, the keys
 * of `indexAfterKey` move it.
 */
export function rowReadoutKeys(
  show: (index: number, announce: boolean) => void,
  at: () => [cursor: number, count: number],
): Pick<Readout, 'focus' | 'key'> {
  return {
    focus: () => show(Math.max(at()[0], 0), true),
    key(key) {
      const [cursor, count] = at();
      const next = indexAfterKey(key, Math.max(cursor, 0), count);
      if (next !== null) show(next, true);
      return next !== null;
    },
  };
}
