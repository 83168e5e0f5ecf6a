/** A layer × layer matrix; `values[r][c]` is row `r`, column `c`; null means undefined. */
export interface HeatmapData {
  rowLabels: string[];
  colLabels: string[];
  values: (number | null)[][];
  /**
   * Why a row's (or a column's) undefined cells are undefined, one entry per label (null where
   * nothing is said), e.g. "embeddings: constant …, so CKA is 0/0"; shown in those cells' tooltip.
   */
  rowNotes?: (string | null)[];
  colNotes?: (string | null)[];
}

/**
 * Checks that `data` is a well-formed heatmap matrix: string labels, one row of values per row
 * label, one value (number or null) per column label. Throws an error naming `where` and the
 * first offending entry.
 */
export function validateHeatmapData(data: HeatmapData, where: string): void {
  if (
    !data ||
    !Array.isArray(data.rowLabels) ||
    !Array.isArray(data.colLabels) ||
    !Array.isArray(data.values)
  ) {
    throw new Error(
      `${where}: expected { rowLabels: string[], colLabels: string[], values: (number|null)[][] }`,
    );
  }
  for (const [name, labels] of [
    ['rowLabels', data.rowLabels],
    ['colLabels', data.colLabels],
  ] as const) {
    const bad = labels.findIndex((l) => typeof l !== 'string');
    if (bad >= 0)
      throw new Error(`${where}: ${name}[${bad}] is ${typeof labels[bad]}, expected a string`);
  }
  if (data.values.length !== data.rowLabels.length) {
    throw new Error(
      `${where}: values has ${data.values.length} rows, expected ${data.rowLabels.length} (one per row label)`,
    );
  }
  for (const [name, notes, labels] of [
    ['rowNotes', data.rowNotes, data.rowLabels],
    ['colNotes', data.colNotes, data.colLabels],
  ] as const) {
    if (notes === undefined) continue;
    if (!Array.isArray(notes) || notes.length !== labels.length) {
      throw new Error(
        `${where}: ${name} has ${Array.isArray(notes) ? notes.length : 'no'} entries, expected ${labels.length} (one per label) or none`,
      );
    }
    const bad = notes.findIndex((n) => n !== null && typeof n !== 'string');
    if (bad >= 0)
      throw new Error(
        `${where}: ${name}[${bad}] is ${typeof notes[bad]}, expected a string or null`,
      );
  }
  data.values.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== data.colLabels.length) {
      throw new Error(
        `${where}: values[${r}] has ${Array.isArray(row) ? row.length : 'no'} entries, expected ${data.colLabels.length} (one per column label)`,
      );
    }
    const c = row.findIndex((v) => v !== null && typeof v !== 'number');
    if (c >= 0) {
      throw new Error(
        `${where}: values[${r}][${c}] is ${JSON.stringify(row[c])}, expected a number or null`,
      );
    }
  });
}
