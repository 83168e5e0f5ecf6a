/**
 * How Strata's SIMD batched product (batchMatMul.wat) runs a BatchMatMul: sizes and element
 * strides for its arguments, or null where tfjs's own kernel should run (a batch of one without
 * transposes, which tfjs hands to XNNPACK; empty or mismatched shapes, left to tfjs's checks and
 * errors; outer dimensions that broadcast other than by a whole side of one).
 */
export interface BatchMatMulPlan {
  batch: number;
  m: number;
  k: number;
  n: number;
  /** A[t, i, kk] lies at element t·aBatch + i·aRow + kk·aCol; a batch stride of 0 broadcasts. */
  aBatch: number;
  aRow: number;
  aCol: number;
  /** B[t, kk, j] lies at element t·bBatch + kk·bK + j·bN. */
  bBatch: number;
  bK: number;
  bN: number;
  outShape: number[];
}

const product = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

/** The broadcast of two outer shapes (numpy rules), or null when they do not broadcast. */
function broadcastOuter(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function planBatchMatMul(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): BatchMatMulPlan | null {
  if (aShape.length < 2 || bShape.length < 2) return null;
  const [aR, aC] = aShape.slice(-2) as [number, number];
  const [bR, bC] = bShape.slice(-2) as [number, number];
  const m = transposeA ? aC : aR;
  const k = transposeA ? aR : aC;
  const n = transposeB ? bR : bC;
  if ((transposeB ? bC : bR) !== k || m === 0 || k === 0 || n === 0) return null;
  const outer = broadcastOuter(aShape.slice(0, -2), bShape.slice(0, -2));
  if (!outer) return null;
  const batch = product(outer);
  const batchA = product(aShape.slice(0, -2));
  const batchB = product(bShape.slice(0, -2));
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  if (batch === 1 && !transposeA && !transposeB) return null;
  const plan: BatchMatMulPlan = {
    batch,
    m,
    k,
    n,
    aBatch: batchA === 1 ? 0 : m * k,
    aRow: transposeA ? 1 : k,
    aCol: transposeA ? m : 1,
    bBatch: batchB === 1 ? 0 : k * n,
    bK: transposeB ? 1 : n,
    bN: transposeB ? k : 1,
    outShape: [...outer, m, n],
  };
  // A batch of A's rows against one B is a single taller product (B is packed once either way).
  if (!transposeA && plan.bBatch === 0 && plan.aBatch !== 0) {
    return { ...plan, m: m * batch, batch: 1, aBatch: 0 };
  }
  return plan;
}
