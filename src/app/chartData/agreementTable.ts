// The agreement table as data: one row per checkpoint, one column per measure, Spearman's ρ
// (and Pearson r) of that measure with cosine over the layer pairs; the same numbers for the
// page, its CSV and JSON files, and the report.
import { toCsv } from '../../charts/exportData';
import type { MetricAgreement } from '../../engine/apiTypes';
import { AGREEMENT_MEASURES } from '../state/agreement';
import { resultModelName, type ModelTitles } from '../state/modelNames';
import type { AgreementRowResult } from '../state/results';
import { metricLabel } from './similarity';

export type AgreementMeasure = (typeof AGREEMENT_MEASURES)[number];

export interface AgreementTableRow {
  /** "mnist-aligned", "A: mnist-standard". */
  name: string;
  /** Off-diagonal layer pairs l < m. */
  pairs: number;
  /** Each measure's agreement with cosine; null when not computed (skipped, or undefined). */
  cells: Record<AgreementMeasure, MetricAgreement | null>;
}

export interface AgreementTableData {
  measures: { id: AgreementMeasure; label: string }[];
  rows: AgreementTableRow[];
}

/** A row's name on the page and in files. */
export function agreementRowName(row: AgreementRowResult, models: ModelTitles): string {
  const model = resultModelName(models, row);
  return row.role === 'main' ? model : `${row.role.toUpperCase()}: ${model}`;
}

/** The table of `rows` (the store's agreement result). */
export function agreementTable(
  rows: readonly AgreementRowResult[],
  models: ModelTitles,
): AgreementTableData {
  return {
    measures: AGREEMENT_MEASURES.map((id) => ({ id, label: metricLabel(id) })),
    rows: rows.map((row) => {
      const cells = Object.fromEntries(
        AGREEMENT_MEASURES.map((m) => [m, row.agreement[m] ?? null]),
      ) as Record<AgreementMeasure, MetricAgreement | null>;
      const pairs = Math.max(0, ...Object.values(cells).map((c) => c?.pairs ?? 0));
      return { name: agreementRowName(row, models), pairs, cells };
    }),
  };
}

/** The caption of the table and of its files. */
export function agreementCaption(rows: readonly AgreementRowResult[]): string {
  const r = rows[0]?.request;
  const on = r
    ? ` · ${r.dataset} test, N = ${r.samples.toLocaleString('en-US')} · ${r.pooling} pooling`
    : '';
  return `Agreement of each measure with cosine: Spearman ρ (Pearson r) over the layer pairs l < m${on}`;
}

/** Long form, one line per checkpoint and measure. */
export function agreementCsv(table: AgreementTableData): string {
  return toCsv([
    ['checkpoint', 'measure', 'spearman', 'pearson', 'pairs'],
    ...table.rows.flatMap((row) =>
      table.measures.map(({ id, label }) => {
        const c = row.cells[id];
        return [row.name, label, c?.spearman ?? null, c?.pearson ?? null, c?.pairs ?? 0];
      }),
    ),
  ]);
}
