// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createHeatmap } from '../../charts/heatmap';
import { createLineChart } from '../../charts/lineChart';
import { mountContainer } from '../../charts/testing';
import { DEFAULT_CONFIG } from '../state/config';
import { buildReportHtml, flattenConfig, inlineSvg, REPORT_CSP, type ReportInput } from './report';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  ']]>',
  '</style><script>alert(2)</script>',
  "'><svg onload=alert(3)>",
];
const HOSTILE = PAYLOADS.join(' ');

afterEach(() => document.body.replaceChildren());

function hostileCharts(): ReportInput['charts'] {
  const heat = createHeatmap(mountContainer(), {
    scale: 'diverging',
    caption: `Cosine ${HOSTILE}`,
  });
  heat.update({
    rowLabels: PAYLOADS,
    colLabels: PAYLOADS,
    values: PAYLOADS.map((_, i) => PAYLOADS.map((_, j) => (i === j ? 1 : 0.5))),
  });
  const line = createLineChart(mountContainer(), {
    caption: `Accuracy ${HOSTILE}`,
    yDomain: 'accuracy',
  });
  line.update({ xLabels: PAYLOADS, series: [{ name: HOSTILE, values: PAYLOADS.map(() => 0.5) }] });
  return [
    { caption: `Cosine ${HOSTILE}`, svg: heat.toSvg() },
    { caption: `Accuracy ${HOSTILE}`, svg: line.toSvg() },
  ];
}

function hostileInput(): ReportInput {
  return {
    date: new Date('2026-11-30T07:15:00Z'),
    version: '0.1.0',
    backend: `wasm ${HOSTILE}`,
    model: HOSTILE,
    dataset: { title: HOSTILE, classNames: PAYLOADS, trainCount: 60000, testCount: 10000 },
    config: { ...DEFAULT_CONFIG, modelId: HOSTILE, dataset: HOSTILE },
    accuracy: {
      layers: ['emb', HOSTILE],
      models: [{ name: HOSTILE, accuracy: [0.1, 0.97], loss: [2, 0.1], minimalDepth: 1 }],
    },
    exits: {
      rule: 'confidence',
      threshold: 0.9,
      tradeoff: {
        layers: 6,
        series: [
          {
            name: HOSTILE,
            points: [
              { threshold: 0.5, meanExitLayer: 1.5, accuracy: 0.8 },
              { threshold: 0.9, meanExitLayer: 3, accuracy: 0.95 },
            ],
          },
        ],
      },
      readout: [{ name: HOSTILE, accuracy: 0.95, meanExitLayer: 3, speedup: 2 }],
    },
    agreement: null,
    charts: hostileCharts(),
  };
}

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

describe('buildReportHtml', () => {
  it('contains no live element or attribute from hostile titles, class names and labels', () => {
    const html = buildReportHtml(hostileInput());
    const doc = parse(html);
    expect(doc.querySelectorAll('script, img, iframe, object, embed, foreignObject')).toHaveLength(
      0,
    );
    for (const el of Array.from(doc.querySelectorAll('*'))) {
      const names = Array.from(el.attributes, (a) => a.name.toLowerCase());
      expect(names.filter((n) => n.startsWith('on'))).toEqual([]);
    }
    // The only <style> is the report's own, and the payloads are still there as text.
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.body.textContent).toContain(PAYLOADS[0]);
    expect(doc.body.textContent).toContain(PAYLOADS[1]);
    expect(doc.title).toBe(`Strata report · ${HOSTILE} · 2026-11-30 07:15 UTC`);
    // Only the report's own <svg> roots: one per chart (a hostile "<svg onload>" made none).
    expect(doc.querySelectorAll('svg')).toHaveLength(2);
  });

  it('declares a CSP that allows no script and no request, and references nothing outside', () => {
    const html = buildReportHtml(hostileInput());
    const doc = parse(html);
    const meta = doc.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(meta?.getAttribute('content')).toBe(REPORT_CSP);
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html).toContain(`content="${REPORT_CSP}"`);
    const links = Array.from(doc.querySelectorAll('[href], [src], [xlink\\:href]'));
    expect(links).toEqual([]);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/);
    expect(doc.querySelector('meta[charset]')?.getAttribute('charset')).toBe('utf-8');
  });

  it('lays out every chart as a figure with its caption, and the tables and config', () => {
    const doc = parse(buildReportHtml(hostileInput()));
    const figures = Array.from(doc.querySelectorAll('figure'));
    expect(figures).toHaveLength(2);
    expect(figures[0].querySelector('figcaption')?.textContent).toBe(`Figure 1. Cosine ${HOSTILE}`);
    expect(figures[0].querySelectorAll('.strata-cells rect')).toHaveLength(25);
    // The caption drawn in the SVG is left to the figcaption.
    expect(figures[0].querySelector('.strata-export-caption')).toBeNull();
    const headings = Array.from(doc.querySelectorAll('h2'), (h) => h.textContent);
    expect(headings).toEqual(['Charts', 'Per-layer accuracy', 'Early exit', 'Configuration']);
    const accuracy = doc.querySelectorAll('section')[1].querySelectorAll('tbody tr');
    expect(Array.from(accuracy, (r) => r.textContent)).toEqual([
      'emb10.0%',
      `${HOSTILE}97.0% ← minimal depth`,
    ]);
    const sweep = Array.from(
      doc.querySelectorAll('section')[2].querySelectorAll('table')[1].querySelectorAll('tbody tr'),
    );
    expect(sweep.map((r) => Array.from(r.children, (c) => c.textContent))).toEqual([
      [HOSTILE, '0.5000', '1.50', '4.00×', '80.0%'],
      [HOSTILE, '0.9000', '3.00', '2.00×', '95.0%'],
    ]);
    const json = doc.querySelector('pre')!.textContent!;
    expect(JSON.parse(json)).toEqual({ ...DEFAULT_CONFIG, modelId: HOSTILE, dataset: HOSTILE });
    const configRows = Array.from(doc.querySelectorAll('section')[3].querySelectorAll('tbody tr'));
    expect(configRows.map((r) => r.children[0].textContent)).toContain('train.lr');
  });

  it('lists every measure’s agreement with cosine per checkpoint, names escaped', () => {
    const cell = (spearman: number | null) => ({ spearman, pearson: 0.5, pairs: 21 });
    const doc = parse(
      buildReportHtml({
        ...hostileInput(),
        agreement: {
          caption: `Agreement ${HOSTILE}`,
          measures: [
            { id: 'cka', label: 'Linear CKA' },
            { id: 'knn', label: 'Mutual k-NN (k = 10)' },
          ],
          rows: [
            { name: HOSTILE, pairs: 21, cells: { cka: cell(0.91234), knn: cell(null) } },
            { name: 'A: mnist-standard', pairs: 21, cells: { cka: null, knn: cell(-0.25) } },
          ],
        } as ReportInput['agreement'],
      }),
    );
    const headings = Array.from(doc.querySelectorAll('h2'), (h) => h.textContent);
    expect(headings).toEqual([
      'Charts',
      'Agreement with cosine',
      'Per-layer accuracy',
      'Early exit',
      'Configuration',
    ]);
    const section = doc.querySelectorAll('section')[1];
    expect(section.querySelector('caption')?.textContent).toBe(`Agreement ${HOSTILE}`);
    const rows = Array.from(section.querySelectorAll('tbody tr'), (r) =>
      Array.from(r.children, (c) => c.textContent),
    );
    expect(rows).toEqual([
      [HOSTILE, '0.912 (r 0.500)', '— (r 0.500)', '21'],
      ['A: mnist-standard', '— (r —)', '-0.250 (r 0.500)', '21'],
    ]);
    expect(doc.querySelectorAll('script, img')).toHaveLength(0);
  });

  it('leaves out empty sections and notes a chart whose SVG would not parse', () => {
    const doc = parse(
      buildReportHtml({
        ...hostileInput(),
        accuracy: null,
        exits: null,
        charts: [{ caption: 'broken', svg: '<svg><script>alert(1)</script' }],
      }),
    );
    expect(doc.querySelectorAll('svg, script')).toHaveLength(0);
    expect(doc.querySelector('figure .missing')?.textContent).toBe(
      '(this chart could not be embedded)',
    );
    expect(Array.from(doc.querySelectorAll('h2'), (h) => h.textContent)).toEqual([
      'Charts',
      'Configuration',
    ]);
  });
});

describe('inlineSvg', () => {
  it('sanitises what it embeds and refuses what is not SVG', () => {
    const out = inlineSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">' +
        '<script>alert(1)</script><a href="javascript:alert(1)"><text>x</text></a></svg>',
    )!;
    expect(out).not.toMatch(/script|onload|javascript/);
    expect(out).toContain('<text>x</text>');
    expect(inlineSvg('<html xmlns="http://www.w3.org/1999/xhtml"/>')).toBeNull();
    expect(inlineSvg('not xml')).toBeNull();
  });

  it('flattens a config into dotted paths', () => {
    expect(flattenConfig({ a: 1, b: { c: 'x', d: [1, 2] } })).toEqual([
      ['a', 1],
      ['b.c', 'x'],
      ['b.d', [1, 2]],
    ]);
  });
});
