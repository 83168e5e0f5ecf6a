// What every export says about itself besides the chart's own caption: which backend computed
// it, which Strata made it, and when (issue 7: a figure pasted into a paper must say where it
// came from).
import { version } from '../../../package.json';
import type { BackendInfo } from '../../engine/apiTypes';
import type { ExplorerConfig } from '../state/config';

/** The version in package.json, compiled in (Vite's JSON import keeps only this field). */
export const STRATA_VERSION: string = version;

/**
 * A chart of something other than the page's model and dataset: an activation file read on its
 * own, or the logit lens of a language model on its texts.
 */
export type ExportSubject =
  | { activationFile: string; ckaMetric: ExplorerConfig['ckaMetric'] }
  | { languageModel: string; texts: string; maxLength: number | null; samples: number };

/** The page's settings a model's chart was made with, or the file an activations chart shows. */
export type ExportSettings =
  | Pick<ExplorerConfig, 'modelId' | 'dataset' | 'samples' | 'seed' | 'pooling' | 'ckaMetric'>
  | ExportSubject;

export interface ExportContext {
  /** The chart's caption: what it shows (metric, model or file, dataset, N, pooling). */
  caption: string;
  backend: BackendInfo | null;
  version: string;
  date: Date;
  /** What the exported file is named after: the model's id, or the activation file's name. */
  subject: string | null;
  settings: ExportSettings;
}

/** "wasm (1 thread)", "webgpu on nvidia (ampere)", or "unknown backend" before the engine starts. */
export function backendText(info: BackendInfo | null): string {
  if (!info) return 'unknown backend';
  const threads = info.name === 'wasm' ? (info.threads ? ' (threads)' : ' (1 thread)') : '';
  const adapter = info.adapter && info.name !== 'wasm' ? ` on ${info.adapter}` : '';
  return `${info.name}${threads}${adapter}`;
}

/** "2026-11-30 07:15 UTC". */
export function utcStamp(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The line under a chart's caption: "Strata 0.1.0 · backend wasm (1 thread) · 2026-11-30 07:15 UTC". */
export function provenanceLine(ctx: ExportContext): string {
  return `Strata ${ctx.version} · backend ${backendText(ctx.backend)} · ${utcStamp(ctx.date)}`;
}

/** The caption as lines: the chart's own, then the provenance (SVG/PNG footer, CSV comments). */
export function captionLines(ctx: ExportContext): string[] {
  return [ctx.caption, provenanceLine(ctx)];
}

/** The caption as the `caption` object of a JSON export. */
export function captionObject(ctx: ExportContext) {
  return {
    text: ctx.caption,
    backend: ctx.backend
      ? { name: ctx.backend.name, adapter: ctx.backend.adapter, threads: ctx.backend.threads }
      : null,
    strataVersion: ctx.version,
    date: ctx.date.toISOString(),
    settings: ctx.settings,
  };
}

/**
 * The context of an export made now from the page's state, or, for a chart of an activation file or
 * a language model (`about`), from that subject: the page's model had no part in it.
 */
export function exportContextOf(
  state: { config: ExplorerConfig; run: { backendInfo: BackendInfo | null } },
  caption: string,
  date: Date = new Date(),
  about?: ExportSubject,
): ExportContext {
  const { modelId, dataset, samples, seed, pooling, ckaMetric } = state.config;
  const base = { caption, backend: state.run.backendInfo, version: STRATA_VERSION, date };
  if (about) {
    const subject = 'activationFile' in about ? about.activationFile : about.languageModel;
    return { ...base, subject, settings: { ...about } };
  }
  return {
    ...base,
    subject: modelId,
    settings: { modelId, dataset, samples, seed, pooling, ckaMetric },
  };
}
