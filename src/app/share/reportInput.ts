// What the report shows, gathered from the page: the store's config and results, and the
// figures now mounted (in page order).
import type { AnalysisResult } from '../../engine/apiTypes';
import { exitMethodName, tradeoffChart } from '../chartData/exits';
import type { StrataState } from '../store';
import { backendText, STRATA_VERSION } from './exportContext';
import type { ExportSource } from './exportSource';
import type { ReportAccuracy, ReportExits, ReportInput } from './report';

type ReportState = Pick<StrataState, 'config' | 'run' | 'results'>;

/** The checkpoints on show, named as on the page, each once. */
function accuracyOf(state: ReportState): ReportAccuracy | null {
  const { main, a, b, training } = state.results.analysis;
  const named: [string, AnalysisResult | null][] = [
    [`A: ${a?.request.modelId}`, a],
    [`B: ${b?.request.modelId}`, b],
    [main?.request.modelId ?? '', main],
    [`fine-tuned: ${training?.request.modelId}`, training],
  ];
  const seen = new Set<string>();
  const models: ReportAccuracy['models'] = [];
  let layers: string[] | null = null;
  for (const [name, r] of named) {
    if (!r || r.accuracy.length === 0 || seen.has(r.request.modelId)) continue;
    layers ??= r.layers;
    if (r.layers.length !== layers.length) continue;
    seen.add(r.request.modelId);
    models.push({ name, accuracy: r.accuracy, loss: r.loss, minimalDepth: r.minimalDepth });
  }
  return layers && models.length > 0 ? { layers, models } : null;
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
            name: `${exitMethodName(result)} (${result.request.modelId})`,
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
    model: state.config.modelId,
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
    charts: sources.map((s) => {
      try {
        return { caption: s.caption(), svg: s.toSvg() };
      } catch (e) {
        return { caption: `${s.caption()} (not exported: ${String(e)})`, svg: '' };
      }
    }),
  };
}
