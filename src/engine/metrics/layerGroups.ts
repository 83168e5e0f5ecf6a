// Layers multiplied in groups: one product per pair of groups instead of one per pair of layers.

/**
 * Layers are multiplied in groups of up to this many columns: one [W_a, W_b] product per pair of
 * groups instead of one per pair of layers, so 400 narrow layers cost a handful of products, not
 * 80,200 small ones; a wider layer is a group of its own.
 */
export const GROUP_COLUMNS = 512;

/** A run of consecutive layers multiplied together: layers [from, to), `columns` wide in all. */
export interface LayerGroup {
  from: number;
  to: number;
  columns: number;
}

/** Consecutive layers grouped up to `columns` wide (a wider layer alone). */
export function layerGroups(widths: readonly number[], columns = GROUP_COLUMNS): LayerGroup[] {
  const groups: LayerGroup[] = [];
  for (let l = 0; l < widths.length; l++) {
    const last = groups[groups.length - 1];
    if (last && last.columns + widths[l] <= columns) {
      last.to = l + 1;
      last.columns += widths[l];
    } else groups.push({ from: l, to: l + 1, columns: widths[l] });
  }
  return groups;
}

/** Pairs of groups (a ≤ b) in runs whose products W_a·W_b fit the budget (at least one a run). */
export function groupPairChunks(
  groups: readonly LayerGroup[],
  budget: number,
): [number, number][][] {
  const chunks: [number, number][][] = [];
  let chunk: [number, number][] = [];
  let used = 0;
  for (let a = 0; a < groups.length; a++) {
    for (let b = a; b < groups.length; b++) {
      const size = groups[a].columns * groups[b].columns;
      if (chunk.length > 0 && used + size > budget) {
        chunks.push(chunk);
        chunk = [];
        used = 0;
      }
      chunk.push([a, b]);
      used += size;
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * One block of a group's rows side by side, [count, W] row-major: row r is row r of each of the
 * group's layers in turn. A group of one layer is its own block (no copy).
 */
export function joinGroupRows(
  group: LayerGroup,
  blocks: readonly Float32Array[],
  count: number,
  widths: readonly number[],
): Float32Array {
  if (group.to - group.from === 1) return blocks[group.from];
  const out = new Float32Array(count * group.columns);
  for (let r = 0; r < count; r++) {
    let at = r * group.columns;
    for (let l = group.from; l < group.to; l++) {
      const d = widths[l];
      out.set(blocks[l].subarray(r * d, (r + 1) * d), at);
      at += d;
    }
  }
  return out;
}

/** cross[l][m] = ‖X_lᵀX_m‖²_F for every layer pair inside one summed group product [W_a, W_b]. */
export function crossFromGroupProduct(
  values: Float32Array,
  ga: LayerGroup,
  gb: LayerGroup,
  widths: readonly number[],
  cross: number[][],
): void {
  let rowAt = 0;
  for (let l = ga.from; l < ga.to; l++) {
    let colAt = 0;
    for (let m = gb.from; m < gb.to; m++) {
      if (l <= m) {
        let s = 0;
        for (let r = rowAt; r < rowAt + widths[l]; r++) {
          const base = r * gb.columns;
          for (let c = colAt; c < colAt + widths[m]; c++) s += values[base + c] * values[base + c];
        }
        cross[l][m] = cross[m][l] = s;
      }
      colAt += widths[m];
    }
    rowAt += widths[l];
  }
}
