// The one-file HTML report (issue 7): every chart on the page as inline SVG, the config, the
// per-layer accuracy and early-exit tables, backend, version and date. It holds no script and
// loads nothing: a Content Security Policy that allows only inline styles and data: images says
// so to the browser too. Every user string goes through escapeHtml; every SVG is parsed and
// sanitised again before it is embedded.
import { sanitizeSvg } from '../../charts/export';
import type { TradeoffData } from '../../charts/tradeoffChart';
import type { AgreementTableData } from '../chartData/agreementTable';
import { escapeHtml } from './escape';
import { reportStyles } from './reportStyles';

/** Written into the report as is (a constant, no user text: quotes stay readable in the file). */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export interface ReportAccuracy {
  layers: string[];
  models: { name: string; accuracy: number[]; loss: number[]; minimalDepth: number }[];
}

export interface ReportExits {
  rule: string;
  threshold: number | null;
  /** The threshold sweep of each method. */
  tradeoff: TradeoffData;
  /** Each method at the slider's threshold. */
  readout: { name: string; accuracy: number; meanExitLayer: number; speedup: number }[];
}

export interface ReportInput {
  date: Date;
  version: string;
  backend: string;
  model: string | null;
  dataset: { title: string; classNames: string[]; trainCount: number; testCount: number } | null;
  /** The config as JSON-ready values. */
  config: object;
  accuracy: ReportAccuracy | null;
  exits: ReportExits | null;
  /** Every measure's agreement with cosine, when the page computed it. */
  agreement: (AgreementTableData & { caption: string }) | null;
  charts: { caption: string; svg: string }[];
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const pct = (v: number | null | undefined) =>
  v == null || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`;
const num = (v: number | null | undefined, digits: number) =>
  v == null || !Number.isFinite(v) ? '—' : v.toFixed(digits);

/** `value` as dotted paths and leaf values: `{a: {b: 1}}` → [['a.b', 1]]. */
export function flattenConfig(value: unknown, prefix = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) =>
      flattenConfig(v, prefix ? `${prefix}.${k}` : k),
    );
  }
  return [[prefix, value]];
}

/**
 * An SVG document string made safe to inline in HTML: parsed as XML (a malformed one is dropped
 * with a note, never inlined as text), sanitised, the caption drawn under the chart removed (the
 * report's figcaption says it) and serialised again, which escapes every text node.
 */
export function inlineSvg(svg: string): string | null {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (
    root.namespaceURI !== SVG_NS ||
    root.localName !== 'svg' ||
    doc.getElementsByTagName('parsererror').length > 0
  )
    return null;
  const svgRoot = root as unknown as SVGSVGElement;
  sanitizeSvg(svgRoot);
  const drawn = Array.from(root.children).find((el) =>
    el.classList.contains('strata-export-caption'),
  );
  const firstLine = drawn?.querySelector('text')?.getAttribute('y');
  if (drawn && firstLine) {
    // serializeSvg puts the first caption line 16 px under the chart.
    const height = Number(firstLine) - 16;
    drawn.remove();
    root.setAttribute('height', String(height));
    root.setAttribute('viewBox', `0 0 ${root.getAttribute('width')} ${height}`);
  }
  return new XMLSerializer().serializeToString(root);
}

function table(head: string[], rows: string[][], caption?: string): string {
  const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row">${r[0]}</th>${r
          .slice(1)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : '';
  return `<table>${cap}<thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function configSection(config: object): string {
  const rows = flattenConfig(config).map(([path, v]) => [
    `<code>${escapeHtml(path)}</code>`,
    escapeHtml(v === undefined ? '(default)' : JSON.stringify(v)),
  ]);
  return `<section><h2>Configuration</h2>
${table(['setting', 'value'], rows)}
<details><summary>As JSON</summary><pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre></details>
</section>`;
}

function accuracySection(acc: ReportAccuracy | null): string {
  if (!acc || acc.models.length === 0) return '';
  const rows = acc.layers.map((layer, l) => [
    escapeHtml(layer),
    ...acc.models.map(
      (m) =>
        `${pct(m.accuracy[l])}${l === m.minimalDepth ? ' <span class="marker">← minimal depth</span>' : ''}`,
    ),
  ]);
  const caption =
    'Accuracy of the shared classifier (final LayerNorm + linear head) applied after each layer, on the test sample.';
  return `<section><h2>Per-layer accuracy</h2>
${table(['layer', ...acc.models.map((m) => m.name)], rows, caption)}
</section>`;
}

function exitsSection(exits: ReportExits | null): string {
  if (!exits) return '';
  const at = exits.rule === 'patience' ? 'k' : 'τ';
  const readout = exits.readout.length
    ? table(
        ['method', 'accuracy', 'mean exit layer', 'speed-up'],
        exits.readout.map((r) => [
          escapeHtml(r.name),
          pct(r.accuracy),
          num(r.meanExitLayer, 2),
          `${num(r.speedup, 2)}×`,
        ]),
        `${exits.rule} rule at ${at} = ${exits.threshold ?? '—'}`,
      )
    : '';
  const L = exits.tradeoff.layers;
  const sweep = table(
    ['method', 'threshold', 'mean exit layer', 'speed-up', 'accuracy'],
    exits.tradeoff.series.flatMap((s) =>
      s.points.map((p) => [
        escapeHtml(s.name),
        num(p.threshold ?? null, 4),
        num(p.meanExitLayer, 2),
        `${num(L / p.meanExitLayer, 2)}×`,
        pct(p.accuracy),
      ]),
    ),
    `Trade-off: every threshold of the ${exits.rule} rule (L = ${L}; speed-up = L / mean exit layer)`,
  );
  return `<section><h2>Early exit</h2>
${readout}
<details open><summary>The whole trade-off curve as a table</summary>${sweep}</details>
</section>`;
}

function agreementSection(agreement: ReportInput['agreement']): string {
  if (!agreement || agreement.rows.length === 0) return '';
  const rows = agreement.rows.map((row) => [
    escapeHtml(row.name),
    ...agreement.measures.map(({ id }) => {
      const c = row.cells[id];
      return `${num(c?.spearman, 3)} <span class="marker">(r ${num(c?.pearson, 3)})</span>`;
    }),
    String(row.pairs),
  ]);
  const head = ['checkpoint', ...agreement.measures.map((m) => m.label), 'layer pairs'];
  return `<section><h2>Agreement with cosine</h2>
${table(head, rows, agreement.caption)}
</section>`;
}

function chartsSection(charts: ReportInput['charts']): string {
  const figures = charts.map((c, i) => {
    const svg = inlineSvg(c.svg);
    const body = svg ?? '<p class="missing">(this chart could not be embedded)</p>';
    return `<figure id="figure-${i + 1}">${body}<figcaption><strong>Figure ${i + 1}.</strong> ${escapeHtml(c.caption)}</figcaption></figure>`;
  });
  return `<section class="charts"><h2>Charts</h2>\n${figures.join('\n')}\n</section>`;
}

/** The report as one self-contained HTML document. */
export function buildReportHtml(input: ReportInput): string {
  const stamp = `${input.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const title = `Strata report · ${input.model ?? 'no model'} · ${stamp}`;
  const ds = input.dataset;
  const dataset = ds
    ? `<p>Dataset <strong>${escapeHtml(ds.title)}</strong>: ${ds.classNames.length} classes (${ds.classNames.map(escapeHtml).join(', ')}), ${ds.trainCount.toLocaleString('en-US')} train / ${ds.testCount.toLocaleString('en-US')} test.</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Strata ${escapeHtml(input.version)}">
<title>${escapeHtml(title)}</title>
<style>${reportStyles}</style>
</head>
<body>
<header>
<h1>Strata report</h1>
<p class="meta">Model <strong>${escapeHtml(input.model ?? '—')}</strong> · backend ${escapeHtml(input.backend)} · Strata ${escapeHtml(input.version)} · ${escapeHtml(stamp)}</p>
${dataset}
</header>
<main>
${chartsSection(input.charts)}
${agreementSection(input.agreement)}
${accuracySection(input.accuracy)}
${exitsSection(input.exits)}
${configSection(input.config)}
</main>
<footer><p>Made by Strata ${escapeHtml(input.version)} in the browser; this file runs no script and loads nothing.</p></footer>
</body>
</html>
`;
}
