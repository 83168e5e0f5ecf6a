import type { Tensor } from '../tf';
import type { PackedLayers } from './packedLayers';
import { MAX_GROUPS, runKernel, workgroupSumSnippet, type KernelSpec } from './program';

/** Side of the square tiles of X_lᵀX_m that one workgroup of 16×16 threads computes. */
const TILE = 16;

/** Rows [rowStart + b·n, rowStart + (b+1)·n) of every layer, for b < batches. */
export interface BatchGroup {
  rowStart: number;
  n: number;
  batches: number;
}

/**
 * Shared by the programs below: the centred value of layer `layer`, batch `b`, row `row` and
 * column `col` (0 outside the layer), from the raw rows and the column statistics of
 * columnStatsSpec. The same operations as centreColumns (metrics/centre.ts): shifted by the first
 * row, then centred twice.
 */
const CENTRED = `
  fn centred(layer : i32, b : i32, row : i32, col : i32) -> f32 {
    let width = geometry[3 * layer + 1];
    if (row >= uniforms.n || col >= width) { return 0.0; }
    let x = X[geometry[3 * layer] + (uniforms.rowStart + b * uniforms.n + row) * width + col];
    let o = 3 * (b * uniforms.columns + geometry[3 * layer + 2] + col);
    return ((x - stats[o]) - stats[o + 1]) - stats[o + 2];
  }`;

function groupUniforms(packed: PackedLayers, group: BatchGroup): [string, number][] {
  return [
    ['n', group.n],
    ['rowStart', group.rowStart],
    ['k', packed.widths.length],
    ['pairs', packed.pairs.length],
    ['columns', packed.widths.reduce((a, b) => a + b, 0)],
    ['maxWidth', Math.max(...packed.widths)],
  ];
}

/**
 * Per batch and column of every layer: the first row (the shift) and the two means that
 * centreColumns subtracts, as [batches, Σ D_l, 3]. One workgroup of 64 threads per column.
 */
function columnStatsSpec(packed: PackedLayers, group: BatchGroup): KernelSpec {
  const columns = packed.widths.reduce((a, b) => a + b, 0);
  const foldX = Math.min(columns, MAX_GROUPS);
  return {
    key: 'column_stats',
    inputs: ['X', 'geometry'],
    outputSize: 3 * group.batches * columns,
    workgroupSize: [64, 1, 1],
    groups: [foldX, Math.ceil(columns / foldX), group.batches],
    uniforms: [...groupUniforms(packed, group), ['foldX', foldX]],
    code: `
  ${workgroupSumSnippet(64)}
  fn main(index : i32) {
    let c = i32(workgroupId.y) * uniforms.foldX + i32(workgroupId.x);
    let b = i32(workgroupId.z);
    let cc = min(c, uniforms.columns - 1);
    var l = 0;
    loop {
      if (l == uniforms.k - 1 || cc < geometry[3 * (l + 1) + 2]) { break; }
      l = l + 1;
    }
    let width = geometry[3 * l + 1];
    let base = geometry[3 * l] + (uniforms.rowStart + b * uniforms.n) * width + cc - geometry[3 * l + 2];
    let shift = X[base];
    var s = 0.0;
    for (var i = i32(localIndex); i < uniforms.n; i = i + 64) { s = s + (X[base + i * width] - shift); }
    let mean1 = partSum(s) / f32(uniforms.n);
    s = 0.0;
    for (var i = i32(localIndex); i < uniforms.n; i = i + 64) {
      s = s + ((X[base + i * width] - shift) - mean1);
    }
    let mean2 = partSum(s) / f32(uniforms.n);
    if (localIndex == 0u && c < uniforms.columns) {
      let o = 3 * (b * uniforms.columns + c);
      result[o] = shift;
      result[o + 1] = mean1;
      result[o + 2] = mean2;
    }
  }`,
  };
}

/** Tiles of X_lᵀX_m along a side: the widest layer's width in tiles. */
export function tilesPerPair(widths: readonly number[]): number {
  return Math.ceil(Math.max(...widths) / TILE);
}

/**
 * Per batch, pair l ≤ m and row of 16 tiles a: Σ over the entries (a, c) of X_lᵀX_m in that row
 * of tiles of their square, for centred X, as [batches, P, tilesPerPair]. A workgroup of 16×16
 * threads walks the tiles c of its row, each one a product over all n rows through workgroup
 * memory; workgroups (tile row, pair, batch) cover every pair of every batch in one dispatch.
 */
function crossTilesSpec(packed: PackedLayers, group: BatchGroup): KernelSpec {
  const tiles = tilesPerPair(packed.widths);
  return {
    key: 'cross_tiles',
    inputs: ['X', 'geometry', 'stats'],
    outputSize: group.batches * packed.pairs.length * tiles,
    workgroupSize: [TILE, TILE, 1],
    groups: [tiles, packed.pairs.length, group.batches],
    uniforms: groupUniforms(packed, group),
    code: `
  ${CENTRED}
  ${workgroupSumSnippet(TILE * TILE)}
  var<workgroup> tileA : array<f32, ${TILE * TILE}>;
  var<workgroup> tileB : array<f32, ${TILE * TILE}>;
  fn main(index : i32) {
    let tx = i32(localId.x);
    let ty = i32(localId.y);
    let p = i32(workgroupId.y);
    let b = i32(workgroupId.z);
    let l = geometry[3 * uniforms.k + 2 * p];
    let m = geometry[3 * uniforms.k + 2 * p + 1];
    let a0 = i32(workgroupId.x) * ${TILE};
    var squares = 0.0;
    for (var c0 = 0; c0 < uniforms.maxWidth; c0 = c0 + ${TILE}) {
      // Entry (a0 + ty, c0 + tx) of X_lᵀX_m.
      var product = 0.0;
      for (var r0 = 0; r0 < uniforms.n; r0 = r0 + ${TILE}) {
        tileA[ty * ${TILE} + tx] = centred(l, b, r0 + ty, a0 + tx);
        tileB[ty * ${TILE} + tx] = centred(m, b, r0 + ty, c0 + tx);
        workgroupBarrier();
        for (var r = 0; r < ${TILE}; r = r + 1) {
          product = product + tileA[r * ${TILE} + ty] * tileB[r * ${TILE} + tx];
        }
        workgroupBarrier();
      }
      squares = squares + product * product;
    }
    let total = partSum(squares);
    if (localIndex == 0u) {
      result[(b * uniforms.pairs + p) * i32(numWorkgroups.x) + i32(workgroupId.x)] = total;
    }
  }`,
  };
}

/**
 * The readback of a group of batches, as [batches, P·tiles + k·n]: per batch, the partial sums
 * of crossTilesSpec copied, then every layer's squared norms of its centred rows. One thread per
 * value, in a grid-stride loop (no workgroup memory).
 */
function finishSpec(packed: PackedLayers, group: BatchGroup): KernelSpec {
  const k = packed.widths.length;
  const partials = packed.pairs.length * tilesPerPair(packed.widths);
  const total = group.batches * (partials + k * group.n);
  return {
    key: 'kernel_stats_finish',
    inputs: ['X', 'geometry', 'stats', 'partials'],
    outputSize: total,
    workgroupSize: [64, 1, 1],
    groups: [Math.min(Math.ceil(total / 64), MAX_GROUPS), 1, 1],
    uniforms: [...groupUniforms(packed, group), ['partialsPerBatch', partials]],
    code: `
  ${CENTRED}
  fn main(index : i32) {
    let perBatch = uniforms.partialsPerBatch + uniforms.k * uniforms.n;
    let total = uniforms.outShape;
    for (var t = index; t < total; t = t + i32(numWorkgroups.x) * 64) {
      let b = t / perBatch;
      let at = t - b * perBatch;
      if (at < uniforms.partialsPerBatch) {
        result[t] = partials[b * uniforms.partialsPerBatch + at];
      } else {
        let rest = at - uniforms.partialsPerBatch;
        let l = rest / uniforms.n;
        let row = rest - l * uniforms.n;
        var s = 0.0;
        for (var a = 0; a < geometry[3 * l + 1]; a = a + 1) {
          let v = centred(l, b, row, a);
          s = s + v * v;
        }
        result[t] = s;
      }
    }
  }`,
  };
}

/**
 * The centred linear-kernel statistics of a group of batches of rows of every layer, in three
 * dispatches whatever the number of layers, pairs and batches (column statistics; every pair's
 * tiles of X_lᵀX_m; the readback layout with the row norms): see finishSpec for the layout.
 * The caller disposes the result.
 */
export function kernelStatsOnGpu(packed: PackedLayers, group: BatchGroup): Tensor {
  const stats = runKernel(columnStatsSpec(packed, group), [packed.data, packed.geometry]);
  try {
    const partials = runKernel(crossTilesSpec(packed, group), [
      packed.data,
      packed.geometry,
      stats,
    ]);
    try {
      return runKernel(finishSpec(packed, group), [packed.data, packed.geometry, stats, partials]);
    } finally {
      partials.dispose();
    }
  } finally {
    stats.dispose();
  }
}
