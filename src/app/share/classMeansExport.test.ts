// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { hasExecutableContent, parseSvg } from '../../charts/testing';
import type { AnalysisResult } from '../../engine/apiTypes';
import {
  classMeansData,
  classMeansSource,
  classMeansToCsv,
  composeSvgGrid,
} from './classMeansExport';

const NS = 'http://www.w3.org/2000/svg';
const HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>]]></style>';

function smallSvg(label: string): SVGSVGElement {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', '104');
  svg.setAttribute('height', '118');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const text = document.createElementNS(NS, 'text');
  text.textContent = label.slice(0, 3);
  svg.appendChild(text);
  return svg;
}

const result = {
  layers: ['embeddings', 'layer_1'],
  classMeans: {
    points: [
      [
        [0, 1],
        [2, 3],
      ],
      [
        [4, 5],
        [6, 7],
      ],
    ],
    explained: [0.6, 0.3],
  },
} as unknown as AnalysisResult;

afterEach(() => document.body.replaceChildren());

describe('class-means export', () => {
  it('lays small SVGs out as one document, columns first, with no nested <svg>', () => {
    const svgs = Array.from({ length: 9 }, (_, i) => smallSvg(`layer ${i}`));
    const doc = parseSvg(
      composeSvgGrid(svgs, { caption: 'Class means · m', description: 'd', columns: 4, gap: 6 }),
    );
    const root = doc.documentElement;
    expect(root.getAttribute('width')).toBe(String(4 * 104 + 3 * 6));
    // Three rows, then the caption (one line: 12 + 15 px).
    expect(Number(root.getAttribute('height'))).toBe(3 * 118 + 2 * 6 + 12 + 15);
    expect(doc.querySelectorAll('svg')).toHaveLength(1);
    const groups = Array.from(root.children).filter(
      (el) => el.localName === 'g' && el.hasAttribute('transform'),
    );
    expect(groups.map((g) => g.getAttribute('transform'))).toEqual([
      'translate(0,0)',
      'translate(110,0)',
      'translate(220,0)',
      'translate(330,0)',
      'translate(0,124)',
      'translate(110,124)',
      'translate(220,124)',
      'translate(330,124)',
      'translate(0,248)',
    ]);
    expect(groups[4].querySelector('title')?.textContent).toBe('layer 4');
  });

  it('draws a legend of the classes under the grid, every name whole, wrapping within its width', () => {
    const names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Ankle boot'];
    const svgs = Array.from({ length: 2 }, (_, i) => smallSvg(`layer ${i}`));
    const doc = parseSvg(
      composeSvgGrid(svgs, {
        caption: 'c',
        description: 'd',
        legend: names.map((name, c) => ({ name, color: `#00000${c}`, swatch: 'square' })),
      }),
    );
    const width = Number(doc.documentElement.getAttribute('width'));
    const items = Array.from(doc.querySelectorAll('.strata-legend .strata-legend-item'));
    expect(items.map((i) => i.querySelector('text')!.textContent)).toEqual(names);
    const at = items.map((i) =>
      /translate\(([\d.]+),([\d.]+)\)/.exec(i.getAttribute('transform')!)!.slice(1).map(Number),
    );
    // 208 px wide: the legend takes several rows, each entry starting inside the figure.
    expect(new Set(at.map(([, y]) => y)).size).toBeGreaterThan(1);
    for (const [x] of at) expect(x).toBeLessThan(width);
    // The legend sits below the squares, inside the document's height.
    const legendY = Number(
      /translate\(0,([\d.]+)\)/.exec(
        doc.querySelector('.strata-legend')!.getAttribute('transform')!,
      )![1],
    );
    expect(legendY).toBeGreaterThanOrEqual(118);
    expect(Number(doc.documentElement.getAttribute('height'))).toBeGreaterThan(
      legendY + Math.max(...at.map(([, y]) => y)),
    );
  });

  it('keeps hostile class names as text in the SVG and as quoted cells in the CSV', () => {
    const svg = composeSvgGrid([smallSvg(HOSTILE)], { caption: HOSTILE, description: HOSTILE });
    const doc = parseSvg(svg);
    expect(hasExecutableContent(doc)).toBe(false);
    expect(doc.querySelector('g title')?.textContent).toBe(HOSTILE);
    const data = classMeansData('A: m', result, [HOSTILE, '=cmd']);
    expect(classMeansToCsv(data).split('\n')).toEqual([
      'model,layer,class,pc1,pc2',
      `A: m,embeddings,"${HOSTILE.replace(/"/g, '""')}",0,1`,
      "A: m,embeddings,'=cmd,2,3",
      `A: m,layer_1,"${HOSTILE.replace(/"/g, '""')}",4,5`,
      "A: m,layer_1,'=cmd,6,7",
    ]);
  });

  it('names classes it has no name for by index, and exports through a source', () => {
    const figure = document.createElement('figure');
    figure.append(smallSvg('a'), smallSvg('b'));
    document.body.appendChild(figure);
    const data = classMeansData('m', result, []);
    expect(data.classNames).toEqual(['0', '1']);
    const source = classMeansSource(
      () => figure,
      () => ({ data, caption: 'Class means · m' }),
    );
    expect(source.kind).toBe('class-means');
    expect(source.caption()).toBe('Class means · m');
    expect(source.data()).toBe(data);
    const doc = parseSvg(source.toSvg());
    expect(doc.querySelectorAll('svg > g[transform]:not(.strata-legend)')).toHaveLength(2);
    expect(
      Array.from(doc.querySelectorAll('.strata-legend-item text'), (t) => t.textContent),
    ).toEqual(['0', '1']);
    expect(source.csv().split('\n')[1]).toBe('m,embeddings,0,0,1');
  });

  it('refuses an empty grid with a clear message', () => {
    expect(() => composeSvgGrid([], { caption: 'c', description: 'd' })).toThrow(
      'composeSvgGrid: expected at least one SVG, got none',
    );
  });
});
