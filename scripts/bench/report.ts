import { caveatSlowTwoThreads, caveatUnequalCores, describeCoreSpeeds } from './coreSpeed';
import { times } from './targets';
import {
  WORKLOAD_IDS,
  type BenchResults,
  type Check,
  type Row,
  type WorkloadResult,
} from './types';

/** The key of `explanations` whose lines make the closing section on fast paths. */
export const FAST_PATHS = 'fast paths';

/** `1.23 s` or `45.6 ms`. */
export function duration(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

/** Escapes what would break a Markdown table cell. */
function cell(text: string | number): string {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function status(check: Check): string {
  const verdict = check.met === null ? '– not measured' : check.met ? '✅ met' : '❌ missed';
  return check.caveat && check.met !== null ? `${verdict}, not a verdict` : verdict;
}

function detail(check: Check): string {
  return check.caveat ? `${check.detail}; not a verdict: ${check.caveat}` : check.detail;
}

function referenceFor(row: Row, rows: readonly Row[]): Row | undefined {
  return rows.find((r) => r.task === row.task && r.impl.includes('(reference)') && r.timing);
}

function rowsTable(rows: readonly Row[]): string[] {
  const timed = rows.some((r) => r.timing);
  const factNames = [...new Set(rows.flatMap((r) => Object.keys(r.facts ?? {})))];
  const head = ['task', 'implementation'];
  if (timed) head.push('median', 'min – max', '±', '× reference');
  head.push(...factNames);
  const lines = [`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const cells = [row.task, row.impl];
    if (timed) {
      const t = row.timing;
      const ref = referenceFor(row, rows);
      if (t) {
        cells.push(
          `**${duration(t.median)}**`,
          `${duration(t.min)} – ${duration(t.max)} (${t.times.length} run${t.times.length === 1 ? '' : 's'})`,
          `${(t.spread * 100).toFixed(0)} %`,
          ref && ref !== row ? times(t.median / ref.timing!.median) : ref === row ? '1' : '',
        );
      } else cells.push(row.note ?? '', '', '', '');
    }
    for (const name of factNames) {
      const v = row.facts?.[name];
      cells.push(
        v === undefined
          ? ''
          : typeof v === 'number' && !Number.isInteger(v)
            ? v.toPrecision(3)
            : String(v),
      );
    }
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
    if (!timed && row.note)
      lines.push(`| ${cell(row.task)} | ${cell(row.impl)}: ${cell(row.note)} |`);
  }
  return lines;
}

/** A workload's checks, with a caveat where the cores were unequal or a two-thread reference lost to one thread. */
function checksOf(w: WorkloadResult): Check[] {
  const checks = w.coreSpeeds ? caveatUnequalCores(w.checks, w.coreSpeeds) : w.checks;
  return caveatSlowTwoThreads(checks, w.rows);
}

function coreSpeedsText(w: WorkloadResult): string {
  if (!w.coreSpeeds) return '';
  const { text, balanced } = describeCoreSpeeds(w.coreSpeeds);
  return `, cores’ speeds (a pinned loop, fastest = 1): ${text}${balanced ? '' : ' (unequal)'}`;
}

function workloadSection(w: WorkloadResult, explain: string[]): string[] {
  const params = Object.entries(w.params)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const out = [
    `## ${w.id} · ${w.title}`,
    '',
    `Ran ${w.ranAt.replace('T', ' ').slice(0, 16)} UTC, 1-minute load average before: ${w.loadBefore.toFixed(2)}${coreSpeedsText(w)}. ${params}.`,
    '',
    ...rowsTable(w.rows),
    '',
  ];
  if (w.checks.length) {
    out.push('| target | measured | status | detail |', '|---|---|---|---|');
    for (const c of checksOf(w))
      out.push(`| ${cell(c.target)} | ${cell(c.measured)} | ${status(c)} | ${cell(detail(c))} |`);
    out.push('');
  }
  if (explain.length) out.push(...explain, '');
  if (w.notes.length) out.push(...w.notes.map((n) => `- ${n}`), '');
  if (w.profile) {
    const p = w.profile;
    const item = p.itemLabel ?? 'kernel';
    const detailed = item === 'kernel' ? 'kernel and input shapes' : 'function';
    out.push(
      `**${p.title}**: ${duration(p.totalMs)} measured in ${duration(p.wallMs)} of wall time.`,
      '',
      `| ${item} | ${item === 'kernel' ? 'calls' : 'samples'} | time | share |`,
      '|---|---|---|---|',
      ...p.kernels
        .slice(0, 12)
        .map(
          (k) =>
            `| ${k.kernel} | ${k.calls} | ${duration(k.ms)} | ${((100 * k.ms) / p.totalMs).toFixed(1)} % |`,
        ),
      '',
      ...(p.categories
        ? [
            'By group:',
            '',
            '| group | calls | time | share |',
            '|---|---|---|---|',
            ...p.categories.map(
              (k) =>
                `| ${k.kernel} | ${k.calls} | ${duration(k.ms)} | ${((100 * k.ms) / p.totalMs).toFixed(1)} % |`,
            ),
            '',
          ]
        : []),
      `Largest by ${detailed}:`,
      '',
      `| ${detailed} | ${item === 'kernel' ? 'calls' : 'samples'} | time | share |`,
      '|---|---|---|---|',
      ...p.byShape.map(
        (k) =>
          `| ${cell(k.kernel)} | ${k.calls} | ${duration(k.ms)} | ${((100 * k.ms) / p.totalMs).toFixed(1)} % |`,
      ),
      '',
    );
  }
  return out;
}

/**
 * RESULTS.md: the machine, every target with its status, then each workload's table, checks,
 * explanation (from `explanations`, computed from the numbers) and notes, and the fast paths.
 */
export function renderReport(
  results: BenchResults,
  explanations: Partial<Record<string, string[]>>,
  preface: string[],
): string {
  const m = results.machine;
  const out = [
    '# Strata benchmarks',
    '',
    ...preface,
    '',
    '## Machine',
    '',
    '| CPU | cores | memory | OS | Node | TensorFlow.js | wasm in Node | NumPy (BLAS) | PyTorch |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${[m.cpu, m.cores, `${m.memoryGiB} GiB`, m.os, m.node, m.tfjs, m.wasm ?? '–', m.numpy ? `${m.numpy} (${m.blas})` : '–', m.torch ?? '–'].map(cell).join(' | ')} |`,
    '',
  ];
  if (results.mode === 'quick') {
    out.push(
      '> **Quick mode**: development sizes and few repetitions. These are not the benchmark.',
      '',
    );
  }
  const present = WORKLOAD_IDS.flatMap((id) =>
    results.workloads[id] ? [results.workloads[id]!] : [],
  );
  out.push('## Targets', '', '| target | measured | status | detail |', '|---|---|---|---|');
  for (const w of present) {
    for (const c of checksOf(w))
      out.push(`| ${cell(c.target)} | ${cell(c.measured)} | ${status(c)} | ${cell(detail(c))} |`);
  }
  const missing = WORKLOAD_IDS.filter((id) => !results.workloads[id]);
  if (missing.length) out.push(`| ${missing.join(', ')} | not run | – not measured | see below |`);
  out.push('');
  for (const w of present) out.push(...workloadSection(w, explanations[w.id] ?? []));
  const fast = explanations[FAST_PATHS] ?? [];
  if (fast.length) out.push('## Fast paths the numbers point at', '', ...fast, '');
  return out.join('\n');
}
