// Which selection each result on show was computed for, against the one the controls ask for
// now. This is the one rule by which every chart, caption and export tells a current picture
// from one of a selection the user has left: such a picture is drawn dimmed, its caption saying
// what it is updating for, and it is not exported.
import type { AnalysisRequest, CrossAnalysisQuery, ExitRequest } from '../../engine/apiTypes';
import { CKA_METRIC_LABELS, type CkaMetric } from './config';
import { agreementRows } from './agreement';
import { crossRequest, exitQuery, pageAnalysisRequest, type RequestInputs } from './requests';
import type { AgreementRow } from './results';
import { modelName, type ModelTitles } from './modelNames';
import { settledRevision } from './revisions';

export type CurrencyState = RequestInputs;

/** What a result on show is of, one phrase per field ("dataset" → "imdb"). */
export type Words = Record<string, string>;

/**
 * The views whose pictures come from the store's results: the model's similarity (`main`), each
 * A/B checkpoint, the A/B pair drawn together, every checkpoint on show (accuracy), the exit
 * sweeps, the exit readout at the slider's threshold, the dataset preview, and the agreement
 * table of every measure with cosine.
 */
export type View =
  | 'main'
  | 'a'
  | 'b'
  | 'pair'
  | 'across'
  | 'compared'
  | 'exits'
  | 'readout'
  | 'summary'
  | 'agreement';

export const VIEWS: readonly View[] = [
  'main',
  'a',
  'b',
  'pair',
  'across',
  'compared',
  'exits',
  'readout',
  'summary',
  'agreement',
];

const count = (n: number) => n.toLocaleString('en-US');

const metricWord = (m: string) => (m === 'cosine' ? 'cosine' : CKA_METRIC_LABELS[m as CkaMetric]);

/** Every field of an analysis that changes its numbers, in words. */
export function analysisWords(
  request: AnalysisRequest,
  revision: number,
  models: ModelTitles,
): Words {
  return {
    model: modelName(models, request.modelId, revision),
    dataset: request.dataset,
    samples: `N = ${count(request.samples)}`,
    seed: `seed ${request.seed}`,
    pooling: `${request.pooling} pooling`,
    metrics: request.metrics.map(metricWord).join(' + '),
    head: request.finalNormInHead ? 'head with final LayerNorm' : 'head without final LayerNorm',
    batch: `CKA batches of ${request.batchSize}`,
    rbf: `RBF t = ${request.rbfT}`,
  };
}

/** Every field of an exit sweep that changes its numbers, in words. */
export function exitWords(request: ExitRequest, revision: number, models: ModelTitles): Words {
  return {
    model: modelName(models, request.modelId, revision),
    dataset: request.dataset,
    samples: `N = ${count(request.samples)}`,
    seed: `seed ${request.seed}`,
    rule: `${request.rule} rule`,
  };
}

/** What a result on show was computed for and what is wanted now, in the words that differ. */
export interface Lag {
  shown: string;
  /** Null: nothing is chosen now (a compare slot emptied). */
  wanted: string | null;
}

/** How `shown` differs from `wanted` (null: nothing wanted now); null when they agree. */
export function lagOf(shown: Words, wanted: Words | null): Lag | null {
  if (!wanted) return { shown: shown.model ?? shown.dataset, wanted: null };
  const keys = Object.keys({ ...shown, ...wanted }).filter((k) => shown[k] !== wanted[k]);
  if (keys.length === 0) return null;
  const say = (w: Words) => keys.map((k) => w[k] ?? `no ${k}`).join(', ');
  return { shown: say(shown), wanted: say(wanted) };
}

/**
 * One note for the lags of a view's results, e.g. "updating… for imdb-aligned, imdb (out of
 * date: computed for fashion-mnist-aligned, fashion-mnist)"; null when none lags.
 */
function noteOf(lags: readonly (Lag | null)[]): string | null {
  const some = lags.filter((l): l is Lag => l !== null);
  if (some.length === 0) return null;
  const unique = (xs: string[]) => [...new Set(xs)].join('; ');
  const wanted = some.flatMap((l) => (l.wanted === null ? [] : [l.wanted]));
  const next = wanted.length ? `updating… for ${unique(wanted)}` : 'nothing chosen now';
  return `${next} (out of date: computed for ${unique(some.map((l) => l.shown))})`;
}

function analysisLag(s: CurrencyState, role: 'main' | 'a' | 'b'): Lag | null {
  const result = s.results.analysis[role];
  if (!result) return null;
  const id = role === 'main' ? s.config.modelId : s.config.compare[role];
  const wanted =
    id && s.config.dataset
      ? analysisWords(pageAnalysisRequest(s, id), settledRevision(s, id), s.results.models)
      : null;
  return lagOf(analysisWords(result.request, result.revision, s.results.models), wanted);
}

/** The across heatmap: A's request, B's id and both revisions against the pair chosen now. */
function acrossLag(s: CurrencyState): Lag | null {
  const result = s.results.across;
  if (!result) return null;
  const words = (request: CrossAnalysisQuery, revisions: [number, number]): Words => {
    // The page's cross requests name pooling and metrics (requests.ts crossRequest).
    const metrics = request.metrics ?? [];
    const full = { ...request, pooling: request.pooling ?? 'cls', metrics };
    return {
      ...analysisWords(full, revisions[0], s.results.models),
      // Cosine joins only when the widths agree; the chosen measure is always the last.
      metrics: metrics.length ? metricWord(metrics[metrics.length - 1]) : '',
      versus: `versus ${modelName(s.results.models, request.versusModelId, revisions[1])}`,
    };
  };
  const { a, b } = s.config.compare;
  const wanted =
    a && b && s.config.dataset
      ? words(crossRequest(s, a, b, true), [settledRevision(s, a), settledRevision(s, b)])
      : null;
  return lagOf(words(result.request, result.revisions), wanted);
}

/** The agreement table: each row's analysis against the one its checkpoint's row asks for now. */
function agreementLag(s: CurrencyState): Lag | null {
  const shown = s.results.agreement;
  if (!shown) return null;
  const words = (rows: readonly AgreementRow[]): Words =>
    Object.assign(
      {},
      ...rows.map((r) => {
        const w = analysisWords(r.request, r.revision, s.results.models);
        const model = r.role === 'main' ? w.model : `${r.role.toUpperCase()}: ${w.model}`;
        // One phrase per row and field: the rows' shared settings are said once each.
        return Object.fromEntries(
          Object.entries({ ...w, model }).map(([k, v]) => [
            k === 'model' ? `${r.role} model` : k,
            v,
          ]),
        );
      }),
    );
  const wanted = agreementRows(s);
  return lagOf(words(shown), wanted.length ? words(wanted) : null);
}

function exitLags(s: CurrencyState): (Lag | null)[] {
  const q = exitQuery(s);
  return (['shared', 'multi'] as const).map((m) => {
    const result = s.results.exits[m];
    if (!result) return null;
    const request = q?.[m];
    const revision = q?.revisions[m];
    const wanted =
      request && revision != null ? exitWords(request, revision, s.results.models) : null;
    return lagOf(exitWords(result.request, result.revision, s.results.models), wanted);
  });
}

function readoutLags(s: CurrencyState): (Lag | null)[] {
  const { readout, exits } = s.results;
  if (!readout.sweep || (!readout.shared && !readout.multi)) return [];
  const { models } = s.results;
  const shown = { ...exitWords(readout.sweep.request, readout.sweep.revision, models) };
  shown.threshold = `threshold ${readout.threshold}`;
  // The readout follows the sweep on show, and that sweep the controls.
  const onShow = exits.shared
    ? exitWords(exits.shared.request, exits.shared.revision, models)
    : null;
  const wanted = onShow && { ...onShow, threshold: `threshold ${s.config.exit.threshold}` };
  return [...exitLags(s), lagOf(shown, wanted)];
}

function summaryLag(s: CurrencyState): Lag | null {
  const { summary } = s.results;
  if (!summary || summary.name === s.config.dataset) return null;
  const { dataset } = s.config;
  return lagOf({ dataset: summary.name }, dataset ? { dataset } : null);
}

/**
 * Whether `view` shows the current selection: null when it does (or shows nothing yet), else a
 * note saying what its picture was computed for and what it is updating for.
 */
export function viewStaleness(s: CurrencyState, view: View): string | null {
  switch (view) {
    case 'main':
    case 'a':
    case 'b':
      return noteOf([analysisLag(s, view)]);
    case 'pair':
      return noteOf([analysisLag(s, 'a'), analysisLag(s, 'b')]);
    case 'across':
      return noteOf([acrossLag(s)]);
    case 'compared':
      return noteOf([analysisLag(s, 'main'), analysisLag(s, 'a'), analysisLag(s, 'b')]);
    case 'exits':
      return noteOf(exitLags(s));
    case 'readout':
      return noteOf(readoutLags(s));
    case 'summary':
      return noteOf([summaryLag(s)]);
    case 'agreement':
      return noteOf([agreementLag(s)]);
  }
}

/** Every view that is out of date now, with its note (the report waits until there is none). */
export function staleViews(s: CurrencyState): { view: View; note: string }[] {
  return VIEWS.flatMap((view) => {
    const note = viewStaleness(s, view);
    return note ? [{ view, note }] : [];
  });
}

/** A caption with the note of a picture that is out of date appended. */
export function staleCaption(caption: string, note: string | null): string {
  return note ? `${caption} — ${note}` : caption;
}
