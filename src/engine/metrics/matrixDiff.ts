// Comparing a similarity matrix with a reference, for the unit tests and the browser parity specs.

/** "3×3", or "2 rows of 3, 1" for ragged rows. */
function shapeText(m: readonly (readonly unknown[])[]): string {
  const widths = [...new Set(m.map((row) => row.length))];
  return widths.length <= 1 ? `${m.length}×${widths[0] ?? 0}` : `rows of ${m.map((r) => r.length)}`;
}

/**
 * Largest |actual − expected| over two matrices. The shapes must match (an empty or cut-short
 * result is an error, not a difference of 0) and a null must face a null.
 */
export function maxAbsDiff(
  actual: readonly (readonly (number | null)[])[],
  expected: readonly (readonly (number | null)[])[],
): number {
  const same =
    actual.length === expected.length &&
    actual.every((row, l) => row.length === expected[l].length);
  if (!same) throw new Error(`matrix is ${shapeText(actual)}, expected ${shapeText(expected)}`);
  let worst = 0;
  actual.forEach((row, l) =>
    row.forEach((v, m) => {
      const w = expected[l][m];
      if ((v === null) !== (w === null)) throw new Error(`[${l}][${m}] is ${v}, expected ${w}`);
      if (v !== null && w !== null) worst = Math.max(worst, Math.abs(v - w));
    }),
  );
  return worst;
}
