// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHeatmap } from '../../charts/heatmap';
import { createLineChart } from '../../charts/lineChart';
import { hasExecutableContent, mountContainer, parseSvg } from '../../charts/testing';
import { chartTitle, exportText, makeExport, pngScale } from './chartExport';
import { captionLines, type ExportContext } from './exportContext';
import { chartExportSource } from './exportSource';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  ']]>',
  '</style><script>alert(2)</script>',
];

const ctx = (caption: string): ExportContext => ({
  caption,
  backend: { name: 'wasm', adapter: 'cpu', reason: 'forced', threads: false },
  version: '9.8.7',
  date: new Date('2026-11-30T07:15:42Z'),
  subject: 'mnist-aligned',
  settings: {
    modelId: 'mnist-aligned',
    dataset: 'mnist',
    samples: 1000,
    seed: 1,
    pooling: 'cls',
    ckaMetric: 'cka',
  },
});

function heatmapSource(labels: string[], caption: string) {
  const host = mountContainer();
  const chart = createHeatmap(host, { scale: 'diverging', caption });
  chart.update({
    rowLabels: labels,
    colLabels: labels,
    values: labels.map((_, i) => labels.map((_, j) => (i === j ? 1 : 0.25 * (i - j)))),
  });
  return chartExportSource(chart, host);
}

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

describe('makeExport', () => {
  const caption = 'Cosine similarity · mnist-aligned · mnist test, N = 1,000 · class-token pooling';

  it('writes an SVG with one rect per cell and the caption and provenance drawn under it', async () => {
    const source = heatmapSource(['emb', 'block 1', 'block 2'], caption);
    const file = await makeExport(source, 'svg', ctx(caption));
    expect(file.name).toBe('strata-cosine-similarity-mnist-aligned-2026-11-30.svg');
    expect(file.blob.type).toBe('image/svg+xml');
    const doc = parseSvg(exportText(source, 'svg', ctx(caption)));
    const cells = Array.from(doc.querySelectorAll('.strata-cells rect'));
    expect(cells.map((r) => Number(r.getAttribute('data-value')))).toEqual(
      (source.data() as { values: number[][] }).values.flat(),
    );
    const text = Array.from(
      doc.querySelectorAll('.strata-export-caption text'),
      (t) => t.textContent,
    ).join(' ');
    expect(text).toContain('Cosine similarity · mnist-aligned');
    expect(text).toContain('Strata 9.8.7 · backend wasm (1 thread) · 2026-11-30 07:15 UTC');
    expect(doc.documentElement.getAttribute('font-family')).toMatch(/system-ui/);
  });

  it('exports a dense heatmap drawn on a canvas as one vector cell per entry, values included', () => {
    const ctx2d = new Proxy({}, { get: () => () => undefined, set: () => true });
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx2d as never);
    const labels = Array.from({ length: 45 }, (_, i) => `l${i}`);
    const source = heatmapSource(labels, caption);
    expect(document.querySelector('figure canvas')).not.toBeNull();
    expect(document.querySelectorAll('figure svg .strata-cells rect')).toHaveLength(0);
    const doc = parseSvg(exportText(source, 'svg', ctx(caption)));
    const cells = Array.from(doc.querySelectorAll('.strata-cells rect'));
    expect(cells).toHaveLength(45 * 45);
    expect(cells.map((r) => Number(r.getAttribute('data-value')))).toEqual(
      (source.data() as { values: number[][] }).values.flat(),
    );
    expect(doc.querySelector('image, canvas, foreignObject')).toBeNull();
  });

  it('writes the CSV as the data drawn, one row per cell, under # caption lines', async () => {
    const source = heatmapSource(['a', 'b'], caption);
    const csv = exportText(source, 'csv', ctx(caption));
    expect(csv.split('\n')).toEqual([
      `# ${caption}`,
      '# Strata 9.8.7 · backend wasm (1 thread) · 2026-11-30 07:15 UTC',
      'row,column,value',
      'a,a,1',
      'a,b,-0.25',
      'b,a,0.25',
      'b,b,1',
    ]);
  });

  it('writes JSON as { caption, kind, data }', async () => {
    const host = mountContainer();
    const chart = createLineChart(host, { caption: 'Accuracy · m', yDomain: 'accuracy' });
    const data = { xLabels: ['l0', 'l1'], series: [{ name: 'm', values: [0.5, 0.9] }] };
    chart.update(data);
    const file = await makeExport(chartExportSource(chart, host), 'json', ctx('Accuracy · m'));
    expect(file.name).toBe('strata-accuracy-mnist-aligned-2026-11-30.json');
    expect(file.blob.type).toBe('application/json');
    const json = JSON.parse(
      exportText(chartExportSource(chart, host), 'json', ctx('Accuracy · m')),
    );
    expect(json.kind).toBe('line-chart');
    expect(json.data).toEqual(data);
    expect(json.caption).toMatchObject({
      text: 'Accuracy · m',
      strataVersion: '9.8.7',
      date: '2026-11-30T07:15:42.000Z',
      backend: { name: 'wasm', adapter: 'cpu', threads: false },
      settings: { modelId: 'mnist-aligned', pooling: 'cls', samples: 1000 },
    });
  });

  it('keeps hostile class names and captions inert in SVG, CSV comments and JSON', async () => {
    const hostileCaption = `${PAYLOADS.join(' ')} · m`;
    const source = heatmapSource(PAYLOADS, hostileCaption);
    const svg = exportText(source, 'svg', ctx(hostileCaption));
    const doc = parseSvg(svg);
    expect(hasExecutableContent(doc)).toBe(false);
    expect(doc.querySelectorAll('script, img, style, foreignObject')).toHaveLength(0);
    // The labels survive as text.
    const texts = Array.from(doc.querySelectorAll('text, title'), (t) => t.textContent).join('\n');
    for (const p of PAYLOADS) expect(texts).toContain(p.slice(0, 8));
    const csv = exportText(source, 'csv', ctx('a\nb,=1'));
    expect(csv.split('\n').slice(0, 3)).toEqual([
      '# a b,=1',
      '# Strata 9.8.7 · backend wasm (1 thread) · 2026-11-30 07:15 UTC',
      'row,column,value',
    ]);
  });

  it('names the chart by the caption’s first part and rejects bad PNG sizes', () => {
    expect(chartTitle('Difference A − B of Cosine similarity, colour range ±0.3 · x')).toBe(
      'Difference A − B of Cosine similarity, colour range ±0.3',
    );
    expect(pngScale({ scale: 2 }, 480)).toBe(2);
    expect(pngScale({ width: 1920 }, 480)).toBe(4);
    expect(() => pngScale({ width: 3.5 }, 480)).toThrow(
      'expected a width of 16 to 16384 px, got 3.5',
    );
    expect(() => pngScale({ scale: 0 }, 480)).toThrow('expected a scale between 0 and 16, got 0');
    expect(captionLines(ctx('c'))).toEqual([
      'c',
      'Strata 9.8.7 · backend wasm (1 thread) · 2026-11-30 07:15 UTC',
    ]);
  });

  it('rejects PNG export with a clear message where there is no canvas', async () => {
    const source = heatmapSource(['a'], caption);
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    await expect(makeExport(source, 'png', ctx(caption))).rejects.toThrow(/svgStringToPng/);
  });
});
