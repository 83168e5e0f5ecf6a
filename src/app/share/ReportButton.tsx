// "Export report" in the header: every chart on the page, the config and the tables, as one
// self-contained HTML file.
import { useState } from 'react';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { reportSources } from './chartRegistry';
import { downloadBlob } from './download';
import { exportFileName } from './fileName';
import { buildReportHtml } from './report';
import { staleViews } from '../state/currency';
import { collectReportInput, reportRefusal } from './reportInput';
import './exportMenu.css';

export function ReportButton() {
  const ready = useStrata((s) => s.results.analysis.main !== null);
  const updating = useStrata((s) => staleViews(s).length > 0);
  const [status, setStatus] = useState('');

  function save() {
    try {
      const state = useStrata.getState();
      const sources = reportSources();
      const refusal = reportRefusal(state, sources);
      if (refusal) throw new Error(refusal);
      const input = collectReportInput(state, sources);
      const name = exportFileName({
        chart: 'report',
        model: input.model,
        date: input.date,
        ext: 'html',
      });
      const html = buildReportHtml(input);
      downloadBlob(name, new Blob([html], { type: 'text/html;charset=utf-8' }));
      setStatus(`Saved ${name} (${input.charts.length} charts)`);
    } catch (e) {
      setStatus('');
      useStrata.getState().addAlert('error', `Export report: ${errorMessage(e)}`);
    }
  }

  return (
    <div className="report-export">
      <button
        type="button"
        onClick={save}
        disabled={!ready || updating}
        title={
          updating
            ? 'Charts are updating to the current selection; the report waits until they are current'
            : 'One HTML file with every chart, the config and the tables; it runs no script and loads nothing'
        }
      >
        Export report
      </button>
      <span className="visually-hidden" role="status">
        {status}
      </span>
    </div>
  );
}
