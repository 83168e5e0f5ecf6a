import { tf } from '../tf';
import { betweenBatches } from '../tasks';
import type { Tensor, Tensor2D } from '../tf';
import { unitRows, type CosineSums } from './cosine';
import type { LayerFacts } from './layerScan';
import {
  crossFromGroupProduct,
  groupPairChunks,
  joinGroupRows,
  layerGroups,
  type LayerGroup,
} from './layerGroups';
import { rowsPerBlock, type LayerRows } from './layerRows';
import type { BatchKernelStats } from './linearKernelStats';

export interface StreamedStats {
  cosine?: CosineSums;
  /** The centred linear-kernel statistics of all N rows as one batch (linear and debiased CKA). */
  kernel?: BatchKernelStats;
}

export interface StreamedStatsOptions {
  /** Floats of one block of rows of all layers together (tests make it small). */
  blockFloats?: number;
  /** Floats the summed products may hold on the device at once; more take more passes. */
  accumulatorFloats?: number;
  /** Columns per group of layers multiplied together (tests make it small). */
  groupColumns?: number;
  /** Stops between blocks with a TaskAbortedError (tasks.ts). */
  signal?: AbortSignal;
}

/** 64 MB of summed products on the device; the group pairs beyond take another pass over the rows. */
const ACCUMULATOR_FLOATS = 1 << 24;
/** 16 MB of rows of all layers per block (the device holds a few copies of it while it works). */
const BLOCK_FLOATS = 1 << 22;

/** sum + term, both consumed (disposed even when the addition fails). */
function addInto(sum: Tensor | null, term: Tensor): Tensor {
  if (!sum) return term;
  try {
    return tf.add(sum, term);
  } finally {
    sum.dispose();
    term.dispose();
  }
}

function square(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

/** Per-group constants of one pass: column scales and means [1, W], layer indicator [W, L_g]. */
function groupConstants(
  group: LayerGroup,
  facts: readonly LayerFacts[],
  widths: readonly number[],
) {
  const scale = new Float32Array(group.columns);
  const mean = new Float32Array(group.columns);
  const indicator = new Float32Array(group.columns * (group.to - group.from));
  let at = 0;
  for (let l = group.from; l < group.to; l++) {
    for (let c = 0; c < widths[l]; c++, at++) {
      scale[at] = facts[l].scale;
      mean[at] = facts[l].mean[c];
      indicator[at * (group.to - group.from) + (l - group.from)] = 1;
    }
  }
  return {
    scale: tf.tensor2d(scale, [1, group.columns]),
    mean: tf.tensor2d(mean, [1, group.columns]),
    indicator: tf.tensor2d(indicator, [group.columns, group.to - group.from]),
  };
}

/** unitRows of a group of layers of one width d, [count, L_g, d], and its zero rows per layer [L_g]. */
function groupUnitRows(x: Tensor2D, layers: number, d: number): { unit: Tensor; zeros: Tensor } {
  const count = x.shape[0];
  const { unit, zeroRows } = unitRows(tf.reshape(x, [count * layers, d]) as Tensor2D);
  return {
    unit: tf.reshape(unit, [count, layers, d]),
    zeros: tf.sum(tf.reshape(zeroRows, [count, layers]), 0),
  };
}

/**
 * Cosine sums and the centred linear-kernel statistics of all N rows, streamed block by block
 * from `rows`: the device holds one block of rows and the running sums, never a whole layer and
 * never an N×N matrix. Layers travel in groups side by side ([count, W] per group), each column
 * scaled by its layer's power of two and centred by its float64 mean (from scanLayers), so a
 * block costs a few operations per group, however many layers. Per block: cosine's k×k dot sums
 * are one product U·Uᵀ of the stacked unit rows; the squared row norms r_l of the centred rows
 * give tr K_l = Σ r_l and Σ r_l r_m as RᵀR; each pair of groups adds X_aᵀX_b to its running sum,
 * whose [D_l, D_m] blocks give ⟨K_l, K_m⟩ = ‖X_lᵀX_m‖²_F at the end. Group pairs beyond the
 * device budget take further passes. Sums are read back once per pass and finished in float64.
 */
export async function streamedStats(
  rows: LayerRows,
  facts: readonly LayerFacts[],
  want: { cosine: boolean; kernel: boolean },
  options: StreamedStatsOptions = {},
): Promise<StreamedStats> {
  const { n, widths } = rows;
  const k = widths.length;
  // A block holds every layer's rows at once: its size is budgeted over the total width.
  const total = widths.reduce((a, b) => a + b, 0);
  const block = rowsPerBlock(n, [total], options.blockFloats ?? BLOCK_FLOATS);
  const groups = layerGroups(widths, options.groupColumns);
  const budget = options.accumulatorFloats ?? ACCUMULATOR_FLOATS;
  const chunks = want.kernel ? groupPairChunks(groups, budget) : [];
  const out: StreamedStats = {};
  const passes = Math.max(1, chunks.length);
  for (let pass = 0; pass < passes; pass++) {
    const pairs = chunks[pass] ?? [];
    const firstPass = pass === 0;
    const used = groups.map((_, g) => firstPass || pairs.some(([a, b]) => a === g || b === g));
    const constants = groups.map((g, i) => (used[i] ? groupConstants(g, facts, widths) : null));
    let dots: Tensor | null = null;
    let zeros: Tensor | null = null;
    let rowDot: Tensor | null = null;
    let rowSum: Tensor | null = null;
    let products: (Tensor | null)[] = pairs.map(() => null);
    try {
      for (let start = 0; start < n; start += block) {
        await betweenBatches(options.signal, 'streamed similarity');
        const count = Math.min(block, n - start);
        const blocks: Float32Array[] = [];
        for (let l = 0; l < k; l++) {
          const g = groups.findIndex((x) => x.from <= l && l < x.to);
          blocks.push(used[g] ? await rows.read(l, start, count) : new Float32Array(0));
        }
        const step = tf.tidy(() => {
          const xs = groups.map((g, i) =>
            used[i]
              ? (tf.mul(
                  tf.tensor2d(joinGroupRows(g, blocks, count, widths), [count, g.columns]),
                  constants[i]!.scale,
                ) as Tensor2D)
              : null,
          ); // [count, W_g]
          const result: Record<string, Tensor | Tensor[]> = {};
          if (firstPass && want.cosine) {
            const d = widths[0];
            const units = xs.map((x, i) => groupUnitRows(x!, groups[i].to - groups[i].from, d));
            const stacked = tf.concat(
              units.map((u) => u.unit),
              1,
            ); // [count, k, d]
            const u = tf.reshape(tf.transpose(stacked, [1, 0, 2]), [k, count * d]) as Tensor2D;
            result.dots = tf.matMul(u, tf.transpose(u)); // [k, k]
            result.zeros = tf.concat(units.map((x) => x.zeros)); // [k]
          }
          if (want.kernel) {
            const centred = xs.map((x, i) =>
              x ? (tf.sub(x, constants[i]!.mean) as Tensor2D) : null,
            );
            if (firstPass) {
              const norms = centred.map((c, i) =>
                tf.matMul(tf.square(c!), constants[i]!.indicator),
              );
              const r = tf.concat(norms, 1) as Tensor2D; // [count, k]
              result.rowDot = tf.matMul(tf.transpose(r), r); // [k, k]
              result.rowSum = tf.sum(r, 0); // [k]
            }
            const transposed = centred.map((c) => (c ? tf.transpose(c) : null)); // [W_g, count]
            result.products = pairs.map(([a, b]) => tf.matMul(transposed[a]!, centred[b]!));
          }
          return result;
        });
        if (step.dots) dots = addInto(dots, step.dots as Tensor);
        if (step.zeros) zeros = addInto(zeros, step.zeros as Tensor);
        if (step.rowDot) rowDot = addInto(rowDot, step.rowDot as Tensor);
        if (step.rowSum) rowSum = addInto(rowSum, step.rowSum as Tensor);
        if (step.products) {
          products = (step.products as Tensor[]).map((p, i) => addInto(products[i], p));
        }
      }
      if (firstPass && want.cosine) {
        // sync point: cosine's sums, once.
        const [d, z] = await Promise.all([dots!.data(), zeros!.data()]);
        const sums = square(k);
        // Upper triangle for both halves: a product's two halves may round differently.
        for (let l = 0; l < k; l++)
          for (let m = l; m < k; m++) sums[l][m] = sums[m][l] = d[l * k + m];
        out.cosine = { dots: sums, zeros: Array.from(z) };
      }
      if (want.kernel) {
        if (firstPass) {
          // sync point: the row-norm sums, once.
          const [rd, rs] = await Promise.all([rowDot!.data(), rowSum!.data()]);
          const stats: BatchKernelStats = { n, cross: square(k), rowSum: [], rowDot: square(k) };
          for (let l = 0; l < k; l++) {
            stats.rowSum.push(rs[l]);
            for (let m = l; m < k; m++) stats.rowDot[l][m] = stats.rowDot[m][l] = rd[l * k + m];
          }
          out.kernel = stats;
        }
        if (pairs.length > 0) {
          const flat = tf.tidy(() => tf.concat(products.map((p) => tf.reshape(p!, [-1]))));
          // sync point: this pass's summed products, squared and summed in float64 on the host.
          let values: Float32Array;
          try {
            values = (await flat.data()) as Float32Array;
          } finally {
            flat.dispose();
          }
          let at = 0;
          for (const [a, b] of pairs) {
            const size = groups[a].columns * groups[b].columns;
            const part = values.subarray(at, at + size);
            crossFromGroupProduct(part, groups[a], groups[b], widths, out.kernel!.cross);
            at += size;
          }
        }
      }
    } finally {
      const owned = [dots, zeros, rowDot, rowSum, ...products];
      constants.forEach((c) => c && owned.push(c.scale, c.mean, c.indicator));
      owned.forEach((t) => t?.dispose());
    }
  }
  return out;
}
