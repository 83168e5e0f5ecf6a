// What the report shows, gathered from the page: the store's config and results, and the
// figures now mounted (in page order).
import type { AnalysisResult } from '../../engine/apiTypes';
import { agreementCaption, agreementTable } from '../chartData/agreementTable';
import { exitMethodName, tradeoffChart } from '../chartData/exits';
import { staleViews } from '../state/currency';
import { modelTitle, resultModelName } from '../state/modelNames';
import type { StrataState } from '../store';
import { backendText, STRATA_VERSION } from './exportContext';
import type { ExportSource } from './exportSource';
import type { ReportAccuracy, ReportExits, ReportInput } from './report';

type ReportState = Pick<StrataState, 'config' | 'run' | 'results'>;

/** The checkpoints on show, named as on the page, each once. */
function accuracyOf(state: ReportState): ReportAccuracy | null {
  const { main, a, b, training } = state.results.analysis;
  const titles = state.results.models;
  const name = (r: AnalysisResult | null) => (r ? resultModelName(titles, r) : '');
  const named: [string, AnalysisResult | null][] = [
    [`A: ${name(a)}`, a],
    [`B: ${name(b)}`, b],
    [name(main), main],
    [`fine-tuned: ${name(training)}`, training],
  ];
  const seen = new Set<string>();
  const models: ReportAccuracy['models'] = [];
  let layers: string[] | null = null;
  for (const [name, r] of named) {
    // One row per model revision: a fine-tune's earlier step is another set of weights.
    if (!r || r.accuracy.length === 0 || seen.has(resultModelName(titles, r))) continue;
    layers ??= r.layers;
    if (r.layers.length !== layers.length) continue;
    seen.add(resultModelName(titles, r));
    models.push({ name, accuracy: r.accuracy, loss: r.loss, minimalDepth: r.minimalDepth });
  }
  return layers && models.length > 0 ? { layers, models } : null;
}

/** The model under study, with the step of the weights its analysis on show is of. */
function reportModel(state: ReportState): string | null {
  const { modelId } = state.config;
  const main = state.results.analysis.main;
  const { models } = state.results;
  if (main && main.request.modelId === modelId) return resultModelName(models, main);
  return modelId && modelTitle(models, modelId);
}

function exitsOf(state: ReportState): ReportExits | null {
  const { exits, readout } = state.results;
  const tradeoff = tradeoffChart([exits.shared, exits.multi]);
  if (!tradeoff) return null;
  const rows = (['shared', 'multi'] as const).flatMap((m) => {
    const result = exits[m];
    const r = readout[m];
    return result && r
      ? [
          {
            name: `${exitMethodName(result)} (${resultModelName(state.results.models, result)})`,
            accuracy: r.point.accuracy,
            meanExitLayer: r.point.meanExitLayer,
            speedup: r.point.speedup,
          },
        ]
      : [];
  });
  return {
    rule: (exits.shared ?? exits.multi)?.tradeoff.rule ?? state.config.exit.rule,
    threshold: readout.threshold,
    tradeoff,
    readout: rows,
  };
}

/**
 * Why no report can be made now, or null. Like a chart's export (chartExport.ts), the report is
 * refused while any view is out of date, rather than mixing figures of two selections.
 */
export function reportRefusal(state: ReportState, sources: readonly ExportSource[]): string | null {
  const notes = staleViews(state).map((v) => v.note);
  for (const s of sources) {
    const note = s.stale?.();
    if (note) notes.push(note);
  }
  if (notes.length === 0) return null;
  return `not made while charts are updating: ${[...new Set(notes)].join(' / ')}. Export it once they have updated`;
}

/**
 * The report's content now. A figure whose SVG cannot be made is listed with its error as the
 * caption rather than dropped, so the report never silently misses a chart.
 */
export function collectReportInput(
  state: ReportState,
  sources: readonly ExportSource[],
  date: Date = new Date(),
): ReportInput {
  const summary = state.results.summary;
  return {
    date,
    version: STRATA_VERSION,
    backend: backendText(state.run.backendInfo),
    model: reportModel(state),
    dataset: summary
      ? {
          title: summary.title,
          classNames: summary.classNames,
          trainCount: summary.trainCount,
          testCount: summary.testCount,
        }
      : null,
    config: state.config,
    accuracy: accuracyOf(state),
    exits: exitsOf(state),
    agreement: state.results.agreement
      ? {
          ...agreementTable(state.results.agreement, state.results.models),
          caption: agreementCaption(state.results.agreement),
        }
      : null,
    charts: sources.map((s) => {
      try {
        return { caption: s.caption(), svg: s.toSvg() };
      } catch (e) {
        return { caption: `${s.caption()} (not exported: ${String(e)})`, svg: '' };
      }
    }),
  };
}
