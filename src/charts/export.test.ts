// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  chartDataToJson,
  heatmapToCsv,
  histogramToCsv,
  lineChartToCsv,
  serializeSvg,
  streamingToCsv,
  svgSize,
  svgStringToPng,
  toCsv,
  tradeoffToCsv,
} from './export';
import { createHeatmap } from './heatmap';
import { hasExecutableContent, mountContainer, parseSvg } from './testing';

afterEach(() => {
  document.body.replaceChildren();
  document.head.replaceChildren();
  vi.restoreAllMocks();
});

describe('CSV serialisers', () => {
  it('writes a heatmap as a header of column labels and one row per row label', () => {
    const csv = heatmapToCsv({
      rowLabels: ['emb', 'block 1'],
      colLabels: ['emb', 'block 1'],
      values: [
        [1, 0.123456789],
        [null, -0.5],
      ],
    });
    expect(csv).toBe('layer,emb,block 1\nemb,1,0.123456789\nblock 1,,-0.5');
  });

  it('writes per-layer lines as layer,<series…>', () => {
    const csv = lineChartToCsv({
      xLabels: ['l0', 'l1'],
      series: [
        { name: 'standard', values: [0.5, 0.75] },
        { name: 'aligned', values: [null, 1], marker: { index: 1, label: 'minimal depth' } },
      ],
    });
    expect(csv).toBe('layer,standard,aligned\nl0,0.5,\nl1,0.75,1');
  });

  it('writes training curves in long form and trade-offs with the speed-up', () => {
    expect(
      streamingToCsv({
        series: [
          {
            name: 'loss',
            points: [
              { x: 0, y: 2.5 },
              { x: 10, y: 1e-3 },
            ],
          },
        ],
      }),
    ).toBe('series,x,y\nloss,0,2.5\nloss,10,0.001');
    expect(
      tradeoffToCsv({
        layers: 12,
        series: [
          {
            name: 'multi-head',
            points: [
              { threshold: 0.9, meanExitLayer: 4, accuracy: 0.9 },
              { meanExitLayer: 12, accuracy: 1 },
            ],
          },
        ],
      }),
    ).toBe(
      'series,threshold,mean_exit_layer,speedup,accuracy\nmulti-head,0.9,4,3,0.9\nmulti-head,,12,1,1',
    );
    expect(
      histogramToCsv({
        labels: ['1', '2'],
        series: [
          { name: 'exit', counts: [3, 0] },
          { name: 'saturation', counts: [1, 2] },
        ],
      }),
    ).toBe('layer,exit,saturation\n1,3,1\n2,0,2');
  });

  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas in text', () => {
    expect(
      toCsv([
        ['a,b', 'say "hi"', 'two\nlines', '=HYPERLINK("x")', '@SUM', 'plain', -1, Number.NaN],
      ]),
    ).toBe('"a,b","say ""hi""","two\nlines","\'=HYPERLINK(""x"")",\'@SUM,plain,-1,');
  });

  it('writes JSON with non-finite numbers as null', () => {
    const json = chartDataToJson({ values: [[1, Number.NaN, null, Number.POSITIVE_INFINITY]] });
    expect(JSON.parse(json)).toEqual({ values: [[1, null, null, null]] });
  });
});

describe('serializeSvg', () => {
  const NS = 'http://www.w3.org/2000/svg';
  function liveSvg(): SVGSVGElement {
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', '100');
    svg.setAttribute('height', '50');
    document.body.appendChild(svg);
    return svg;
  }

  it('inlines styles that come from the page, so the file needs no CSS', () => {
    const style = document.createElement('style');
    style.textContent = '.marked { fill: rgb(1, 2, 3); stroke: blue; }';
    document.head.appendChild(style);
    const svg = liveSvg();
    const rect = document.createElementNS(NS, 'rect');
    rect.setAttribute('class', 'marked');
    svg.appendChild(rect);
    const doc = parseSvg(serializeSvg(svg));
    const out = doc.querySelector('rect.marked')!.getAttribute('style') ?? '';
    expect(out).toContain('fill:rgb(1, 2, 3)');
    expect(out).toContain('stroke:blue');
  });

  it('drops scripts, foreign content, handlers, external links and interaction layers', () => {
    const svg = liveSvg();
    svg.innerHTML =
      '<script>alert(1)</script><foreignObject><div>x</div></foreignObject>' +
      '<rect onclick="alert(1)" width="5"/><image href="https://evil.example/x.png"/>' +
      '<a href="javascript:alert(1)"><text>link</text></a><rect data-export="skip" class="overlay"/>' +
      '<image href="data:image/png;base64,AAAA"/>';
    const out = serializeSvg(svg, { caption: 'caption', description: 'summary' });
    const doc = parseSvg(out);
    expect(hasExecutableContent(doc)).toBe(false);
    expect(out).not.toMatch(/javascript:|evil\.example|foreignObject/);
    expect(doc.querySelector('.overlay')).toBeNull();
    expect(doc.querySelectorAll('image')[1].getAttribute('href')).toBe(
      'data:image/png;base64,AAAA',
    );
    expect(doc.querySelector('title')!.textContent).toBe('caption');
    expect(doc.querySelector('desc')!.textContent).toBe('summary');
  });

  it('wraps a long caption under the chart and grows the height to fit it', () => {
    const svg = liveSvg();
    const caption =
      'Cosine similarity, cls pooling, vit-mnist aligned, MNIST test, N = 1000, wasm, Strata 0.1.0';
    const doc = parseSvg(serializeSvg(svg, { caption }));
    const lines = Array.from(
      doc.querySelectorAll('.strata-export-caption text'),
      (t) => t.textContent,
    );
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(caption);
    expect(svgSize(new XMLSerializer().serializeToString(doc))).toEqual({
      width: 100,
      height: 50 + 12 + lines.length * 15,
    });
  });
});

describe('svgStringToPng', () => {
  it('rejects with a clear error where there is no 2D canvas', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    const chart = createHeatmap(mountContainer(), { scale: 'sequential', caption: 'x' });
    chart.update({ rowLabels: ['a'], colLabels: ['a'], values: [[1]] });
    await expect(svgStringToPng(chart.toSvg(), 2)).rejects.toThrow(
      'svgStringToPng: this environment has no 2D canvas',
    );
  });

  it('rejects a document without a size', async () => {
    await expect(svgStringToPng('<svg xmlns="http://www.w3.org/2000/svg"/>')).rejects.toThrow(
      'expected a positive size and scale, got 0×0 at 2×',
    );
  });
});
