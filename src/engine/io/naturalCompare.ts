const CHUNKS = /\d+|\D+/g;

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders strings as people number things: runs of digits compare by value, so `layer_2` comes
 * before `layer_10`; other text compares by code unit (locale-independent, the same everywhere).
 * Digit runs of any length work (no parsing to numbers). Equal values with different zero padding
 * (`x01`, `x1`) are ordered by their plain strings, so the order is total and deterministic.
 */
export function naturalCompare(a: string, b: string): number {
  const chunksA = a.match(CHUNKS) ?? [];
  const chunksB = b.match(CHUNKS) ?? [];
  for (let i = 0; i < Math.min(chunksA.length, chunksB.length); i++) {
    const x = chunksA[i];
    const y = chunksB[i];
    const xDigits = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const yDigits = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    let order: number;
    if (xDigits && yDigits) {
      const xValue = x.replace(/^0+(?=\d)/, '');
      const yValue = y.replace(/^0+(?=\d)/, '');
      order = xValue.length - yValue.length || compareCodeUnits(xValue, yValue);
    } else order = compareCodeUnits(x, y);
    if (order !== 0) return Math.sign(order);
  }
  return Math.sign(chunksA.length - chunksB.length) || compareCodeUnits(a, b);
}
