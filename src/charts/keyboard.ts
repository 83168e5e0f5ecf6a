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
