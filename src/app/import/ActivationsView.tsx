import { useMemo } from 'react';
import { createHeatmap, type HeatmapData } from '../../charts/heatmap';
import type { ActivationFileReport, SimilarityMetric } from '../../engine/apiTypes';
import { metricLabel } from '../chartData/similarity';
import { ChartView } from '../charts/ChartView';
import { activationsCaption } from './activationsCaption';
import { leaveActivationsView } from './activationsImport';
import type { ActivationsView as View } from './importState';

const fmt = (v: number | null) => (v === null ? 'undefined' : v.toFixed(3));

function heatmapOf(report: ActivationFileReport, metric: SimilarityMetric): HeatmapData | null {
  const values = report.metrics[metric];
  return values ? { rowLabels: report.layers, colLabels: report.layers, values } : null;
}

/** The analysis-only view: cosine and CKA heatmaps of an activation file's layers, and the way back. */
export function ActivationsView({ view, backTo }: { view: View; backTo: string }) {
  const { report, cka } = view;
  const cosine = useMemo(() => heatmapOf(report, 'cosine'), [report]);
  const ckaData = useMemo(() => heatmapOf(report, cka), [report, cka]);
  const agreement = report.agreement[`cosine~${cka}`];
  const notes = Object.values(report.notes).flat();
  const widths = [...new Set(report.widths)];
  const subject = useMemo(
    () => ({ activationFile: report.fileName, ckaMetric: cka }),
    [report.fileName, cka],
  );
  return (
    <section className="panel panel-wide" aria-labelledby="activations-title">
      <h2 id="activations-title">Similarity of {report.fileName}</h2>
      <p className="panel-help">
        Analysis only: {report.layers.length} layers of N = {report.n.toLocaleString('en-US')}{' '}
        samples, width {widths.join(', ')}, read from your file. Nothing was uploaded.
      </p>
      <div className="controls">
        <button type="button" onClick={leaveActivationsView}>
          Back to {backTo}
        </button>
      </div>
      <div className="chart-row">
        {cosine ? (
          <ChartView
            create={createHeatmap}
            options={{
              scale: 'diverging',
              caption: activationsCaption('Cosine similarity', report),
            }}
            data={cosine}
            exportSubject={subject}
          />
        ) : (
          <p className="panel-help">Cosine similarity: {report.notes.cosine?.join(' ')}</p>
        )}
        {ckaData ? (
          <ChartView
            create={createHeatmap}
            options={{
              scale: 'sequential',
              valueLabel: metricLabel(cka),
              caption: activationsCaption(metricLabel(cka), report),
            }}
            data={ckaData}
            exportSubject={subject}
          />
        ) : (
          <p className="panel-help">
            {metricLabel(cka)}: {report.notes[cka]?.join(' ')}
          </p>
        )}
      </div>
      {agreement && (
        <p className="agreement" data-testid="activations-agreement">
          Cosine vs {metricLabel(cka)} over {agreement.pairs} layer pairs: Pearson r ={' '}
          <strong>{fmt(agreement.pearson)}</strong>, Spearman ρ ={' '}
          <strong>{fmt(agreement.spearman)}</strong>
        </p>
      )}
      {notes.length > 0 && (
        <ul className="panel-help">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A model-dependent panel while activations are on show: says why it is off, and the way back. */
export function NeedsModelPanel({ title, backTo }: { title: string; backTo: string }) {
  return (
    <section className="panel panel-wide panel-needs-model" aria-label={title} aria-disabled="true">
      <h2>{title}</h2>
      <p className="panel-help">
        Needs a model: an activation file holds no classifier, so there is nothing to evaluate, exit
        or fine-tune. Back to {backTo} to use this panel.
      </p>
    </section>
  );
}
