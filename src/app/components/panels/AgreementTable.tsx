import { useMemo } from 'react';
import { chartDataToJson, withCsvComments } from '../../../charts/exportData';
import {
  agreementCaption,
  agreementCsv,
  agreementTable,
  type AgreementTableData,
} from '../../chartData/agreementTable';
import { viewStaleness, staleCaption } from '../../state/currency';
import { downloadBlob } from '../../share/download';
import { captionLines, captionObject, exportContextOf } from '../../share/exportContext';
import { exportFileName } from '../../share/fileName';
import { useStrata } from '../../store';
import { TaskProgress } from '../TaskProgress';

const fmt = (v: number | null | undefined) => (v == null ? '—' : v.toFixed(3));

const STREAMS = [{ channel: 'agreement' as const, label: 'Agreement of every measure' }];

/**
 * The paper's first claim checked against every measure: Spearman's ρ of CKA, Procrustes, SVCCA
 * and mutual k-NN with cosine over the layer pairs, for the model under study and the A/B pair.
 * Computed on demand (each measure of each checkpoint), then kept current with the controls.
 */
export function AgreementTable() {
  const wanted = useStrata((s) => s.ui.agreementWanted);
  const setWanted = useStrata((s) => s.setAgreementWanted);
  const rows = useStrata((s) => s.results.agreement);
  const busy = useStrata((s) => 'agreement' in s.run.tasks);
  const stale = useStrata((s) => viewStaleness(s, 'agreement'));
  const models = useStrata((s) => s.results.models);
  const table = useMemo(() => (rows ? agreementTable(rows, models) : null), [rows, models]);
  const caption = rows ? agreementCaption(rows) : '';
  if (!wanted) {
    return (
      <p className="agreement-all-ask">
        <button type="button" onClick={() => setWanted(true)}>
          Agreement of every measure with cosine
        </button>{' '}
        Spearman ρ of CKA, Procrustes, SVCCA and mutual k-NN with cosine over the layer pairs, for
        this model and the A/B pair (computes each measure).
      </p>
    );
  }
  return (
    <section className="agreement-all" aria-labelledby="agreement-all-title">
      <h4 id="agreement-all-title">Agreement of every measure with cosine</h4>
      <TaskProgress streams={STREAMS} />
      {!table && busy && <p className="agreement-computing">computing…</p>}
      {table && (
        <div className={stale ? 'stale-block' : undefined} data-stale={stale ? 'true' : undefined}>
          <AgreementGrid table={table} caption={staleCaption(caption, stale)} />
          {stale && <p className="stale-note">{staleCaption('', stale)}</p>}
        </div>
      )}
      <p className="controls">
        <button
          type="button"
          disabled={!table || stale !== null}
          onClick={() => table && save(table, caption, 'csv')}
        >
          CSV
        </button>
        <button
          type="button"
          disabled={!table || stale !== null}
          onClick={() => table && save(table, caption, 'json')}
        >
          JSON
        </button>
        <button type="button" onClick={() => setWanted(false)}>
          Hide
        </button>
      </p>
    </section>
  );
}

function AgreementGrid({ table, caption }: { table: AgreementTableData; caption: string }) {
  return (
    <table className="agreement agreement-all-table" data-testid="agreement-all">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">checkpoint</th>
          {table.measures.map((m) => (
            <th scope="col" key={m.id}>
              {m.label}
            </th>
          ))}
          <th scope="col">layer pairs</th>
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row) => (
          <tr key={row.name} data-row={row.name}>
            <th scope="row">{row.name}</th>
            {table.measures.map(({ id }) => {
              const c = row.cells[id];
              return (
                <td key={id} data-measure={id} title={`Pearson r = ${fmt(c?.pearson)}`}>
                  ρ = <strong>{fmt(c?.spearman)}</strong>
                </td>
              );
            })}
            <td>{row.pairs}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The table as a file, with its caption and provenance (refused while out of date). */
function save(table: AgreementTableData, caption: string, format: 'csv' | 'json'): void {
  const state = useStrata.getState();
  const ctx = exportContextOf(state, caption);
  const text =
    format === 'csv'
      ? withCsvComments(captionLines(ctx), agreementCsv(table))
      : chartDataToJson({ caption: captionObject(ctx), kind: 'agreement', data: table });
  const type = format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json';
  const name = exportFileName({
    chart: 'agreement',
    model: ctx.subject,
    date: ctx.date,
    ext: format,
  });
  downloadBlob(name, new Blob([text], { type }));
}
