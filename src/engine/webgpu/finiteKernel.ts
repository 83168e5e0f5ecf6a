import type { Tensor } from '../tf';
import type { PackedLayers } from './packedLayers';
import { MAX_GROUPS, runKernel, workgroupSumSnippet } from './program';

/** Values of one layer that one workgroup of 256 threads counts. */
const CHUNK = 256 * 64;

/**
 * NaN and ±∞ counted per layer in one dispatch, as [k, chunks] partial counts. The test reads the
 * bits (all exponent bits set), not x ≠ x: WGSL lets a compiler assume that floats are finite.
 * The caller disposes the result.
 */
export function nonFiniteCountsOnGpu(packed: PackedLayers): { counts: Tensor; chunks: number } {
  const largest = packed.n * Math.max(...packed.widths);
  const chunks = Math.ceil(largest / CHUNK);
  if (chunks > MAX_GROUPS) {
    throw new Error(
      `webgpu/finiteKernel.ts nonFiniteCountsOnGpu: a layer of ${largest} values, expected at most ${MAX_GROUPS * CHUNK}`,
    );
  }
  const counts = runKernel(
    {
      key: 'non_finite',
      inputs: ['X', 'geometry'],
      outputSize: packed.widths.length * chunks,
      workgroupSize: [256, 1, 1],
      groups: [chunks, packed.widths.length, 1],
      uniforms: [['n', packed.n]],
      code: `
  ${workgroupSumSnippet(256)}
  fn main(index : i32) {
    let l = i32(workgroupId.y);
    let size = uniforms.n * geometry[3 * l + 1];
    let start = i32(workgroupId.x) * ${CHUNK};
    let end = min(start + ${CHUNK}, size);
    var bad = 0.0;
    for (var i = start + i32(localIndex); i < end; i = i + 256) {
      if ((bitcast<u32>(X[geometry[3 * l] + i]) & 0x7f800000u) == 0x7f800000u) { bad = bad + 1.0; }
    }
    let total = partSum(bad);
    if (localIndex == 0u) { result[l * i32(numWorkgroups.x) + i32(workgroupId.x)] = total; }
  }`,
    },
    [packed.data, packed.geometry],
  );
  return { counts, chunks };
}
