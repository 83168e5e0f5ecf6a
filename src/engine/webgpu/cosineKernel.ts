import type { Tensor } from '../tf';
import type { PackedLayers } from './packedLayers';
import { runKernel, workgroupSumSnippet } from './program';

/** Rows per workgroup of the cosine program (and per partial sum read back). */
export const COSINE_ROWS = 256;

/**
 * Sample-wise cosine of every pair of equal-width layers in one dispatch: per pair p and chunk of
 * COSINE_ROWS rows, [Σ_i ⟨u_i^l, u_i^m⟩, rows where x_i^l or x_i^m is zero], as
 * [P, chunks, 2]. Each thread takes one row of both layers and normalises it as unitRows
 * (metrics/cosine.ts) does: divided by its largest |entry| first, so that squares neither
 * underflow nor overflow. A row's norm is recomputed for each pair it is in: arithmetic instead
 * of a dispatch and a buffer of norms. The caller disposes the result.
 */
export function cosineSumsOnGpu(packed: PackedLayers): Tensor {
  const chunks = Math.ceil(packed.n / COSINE_ROWS);
  return runKernel(
    {
      key: 'cosine_pairs',
      inputs: ['X', 'geometry'],
      outputSize: 2 * packed.pairs.length * chunks,
      workgroupSize: [COSINE_ROWS, 1, 1],
      groups: [chunks, packed.pairs.length, 1],
      uniforms: [
        ['n', packed.n],
        ['k', packed.widths.length],
      ],
      code: `
  ${workgroupSumSnippet(COSINE_ROWS, 'dots')}
  ${workgroupSumSnippet(COSINE_ROWS, 'zeros')}
  fn main(index : i32) {
    let p = i32(workgroupId.y);
    let l = geometry[3 * uniforms.k + 2 * p];
    let m = geometry[3 * uniforms.k + 2 * p + 1];
    let d = geometry[3 * l + 1];
    let i = i32(workgroupId.x) * ${COSINE_ROWS} + i32(localIndex);
    var dot = 0.0;
    var zero = 0.0;
    if (i < uniforms.n) {
      let xl = geometry[3 * l] + i * d;
      let xm = geometry[3 * m] + i * d;
      var pl = 0.0;
      var pm = 0.0;
      for (var a = 0; a < d; a = a + 1) {
        pl = max(pl, abs(X[xl + a]));
        pm = max(pm, abs(X[xm + a]));
      }
      if (pl == 0.0 || pm == 0.0) {
        zero = 1.0;
      } else {
        var sl = 0.0;
        var sm = 0.0;
        var s = 0.0;
        for (var a = 0; a < d; a = a + 1) {
          let u = X[xl + a] / pl;
          let v = X[xm + a] / pm;
          sl = sl + u * u;
          sm = sm + v * v;
          s = s + u * v;
        }
        dot = s / (sqrt(sl) * sqrt(sm));
      }
    }
    let dotSum = dotsSum(dot);
    let zeroSum = zerosSum(zero);
    if (localIndex == 0u) {
      let o = 2 * (p * i32(numWorkgroups.x) + i32(workgroupId.x));
      result[o] = dotSum;
      result[o + 1] = zeroSum;
    }
  }`,
    },
    [packed.data, packed.geometry],
  );
}
