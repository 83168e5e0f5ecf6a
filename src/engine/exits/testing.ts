// Fixtures shared by the early-exit tests (not part of the engine's API).
import seedrandom from 'seedrandom';

/*
 * The crafted fixture: L = 4 layers, N = 6 samples, C = 3 classes. Every row is one of five
 * logit patterns (the top class moved to the column named in brackets); softmax maximum p and
 * entropy H (nats) worked out by hand from p = eᵃ / (eᵃ + 2) for [a, 0, 0]:
 *   A = [6, 0, 0]     p = 403.43 / 405.43   = 0.99507   H = 0.03454
 *   B = [3, 0, 0]     p = 20.086 / 22.086   = 0.90944   H = 0.36659
 *   C = [1, 0, 0]     p = 2.7183 / 4.7183   = 0.57612   H = 0.97533
 *   T = [2, 2, −20]   p = 0.5 − 7e−11 (< 0.5)            H = 0.69315 (≈ ln 2); top-1 0 (tie)
 *   U = [0, 0, 0]     p = 1/3                             H = ln 3 = 1.09861; top-1 0 (tie)
 * So by confidence A > B > C > T > U but by entropy A < B < T < C < U: C and T swap.
 *
 *   sample label | layer 1  layer 2  layer 3  layer 4 | top-1 per layer | agree run | right at
 *   s0     0     | C[0]     B[0]     A[0]     A[0]    | 0 0 0 0         | 0 1 2 3   | 1 2 3 4
 *   s1     1     | U        C[1]     B[1]     A[1]    | 0 1 1 1         | 0 0 1 2   | 2 3 4
 *   s2     2     | B[2]     C[0]     B[2]     B[2]    | 2 0 2 2         | 0 0 0 1   | 1 3 4
 *   s3     0     | A[1]     A[1]     B[1]     C[0]    | 1 1 1 0         | 0 1 2 0   | 4
 *   s4     1     | T        T        C[1]     B[1]    | 0 0 1 1         | 0 1 0 1   | 3 4
 *   s5     2     | U        U        U        U       | 0 0 0 0         | 0 1 2 3   | never
 *
 * Per-layer accuracy (count the "right at" column): layer 1: s0, s2 → 2/6; layer 2: s0, s1 → 2/6;
 * layer 3: s0, s1, s2, s4 → 4/6; layer 4: all but s5 → 5/6.
 * Saturation layer (first layer from which top-1 never changes): s0 1, s1 2, s2 3, s3 4, s4 3,
 * s5 1 → histogram [2, 1, 2, 1].
 */
const A = 6;
const B = 3;
const C = 1;
const T = [2, 2, -20];
const U = [0, 0, 0];

/** Logits [a, 0, 0] with the a moved to column `cls`. */
function peak(a: number, cls: number): number[] {
  const row = [0, 0, 0];
  row[cls] = a;
  return row;
}

export const FIXTURE_LAYERS = 4;
export const FIXTURE_CLASSES = 3;
export const FIXTURE_LABELS = Int32Array.from([0, 1, 2, 0, 1, 2]);

/** One row-major [6, 3] array per layer 1..4, rows s0..s5 as in the table above. */
export function fixtureLogits(): Float32Array[] {
  const rows: number[][][] = [
    [peak(C, 0), U, peak(B, 2), peak(A, 1), T, U],
    [peak(B, 0), peak(C, 1), peak(C, 0), peak(A, 1), T, U],
    [peak(A, 0), peak(B, 1), peak(B, 2), peak(B, 1), peak(C, 1), U],
    [peak(A, 0), peak(A, 1), peak(B, 2), peak(C, 0), peak(B, 1), U],
  ];
  return rows.map((layer) => Float32Array.from(layer.flat()));
}

/** Seeded logits: L layers of [N, C], each layer a noisy step towards a per-sample class. */
export function randomLogits(
  layers: number,
  n: number,
  classes: number,
  seed: string,
): { logits: Float32Array[]; labels: Int32Array } {
  const rand = seedrandom(seed);
  const labels = Int32Array.from({ length: n }, () => Math.floor(rand() * classes));
  const logits = Array.from({ length: layers }, (_, l) => {
    const x = new Float32Array(n * classes);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < classes; j++) {
        const signal = j === labels[i] ? (3 * (l + 1)) / layers : 0;
        x[i * classes + j] = signal + 2 * (rand() - 0.5) * 2;
      }
    }
    return x;
  });
  return { logits, labels };
}
