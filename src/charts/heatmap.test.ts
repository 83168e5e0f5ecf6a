// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { interpolateBrBG, interpolateRdBu, interpolateViridis, color as d3color } from 'd3';
import { createHeatmap } from './heatmap';
import { squareHeatmap as square } from './testData';
import { HOSTILE_LABELS, destroyCleanly, mountContainer, pressKey, safeExport } from './testing';

const hex = (c: string) => d3color(c)!.formatHex();
const cellFill = (root: ParentNode, r: number, c: number) =>
  root.querySelector(`.strata-cells rect[data-row="${r}"][data-col="${c}"]`)?.getAttribute('fill');

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

describe('createHeatmap', () => {
  it('draws one rect per cell with the diverging scheme on the fixed domain [-1, 1]', () => {
    const chart = createHeatmap(mountContainer(), { scale: 'diverging', caption: 'Cosine' });
    chart.update({
      rowLabels: ['a', 'b'],
      colLabels: ['x', 'y', 'z'],
      values: [
        [1, 0, -1],
        [0.5, -0.5, 0.25],
      ],
    });
    const svg = document.querySelector('figure svg')!;
    expect(svg.querySelectorAll('.strata-cells rect')).toHaveLength(6);
    // RdBu reversed: +1 is RdBu's dark red end, 0 its midpoint, -1 its dark blue end.
    expect(cellFill(svg, 0, 0)).toBe('#67001f');
    expect(cellFill(svg, 0, 1)).toBe(hex(interpolateRdBu(0.5)));
    expect(cellFill(svg, 0, 2)).toBe('#053061');
    expect(cellFill(svg, 1, 0)).toBe(hex(interpolateRdBu(0.25)));
    expect(cellFill(svg, 1, 2)).toBe(hex(interpolateRdBu(1 - 0.625)));
  });

  it('gives a value the same colour whatever else is in the data (fixed domains), clamping outside it', () => {
    const a = createHeatmap(mountContainer(), { scale: 'sequential', caption: 'CKA' });
    const b = createHeatmap(mountContainer(), { scale: 'sequential', caption: 'CKA' });
    a.update({ rowLabels: ['r'], colLabels: ['p', 'q'], values: [[0.5, 0.55]] });
    b.update({ rowLabels: ['r'], colLabels: ['p', 'q', 's', 't'], values: [[0.5, 0, 1, -0.2]] });
    const [svgA, svgB] = document.querySelectorAll('figure svg');
    expect(cellFill(svgA, 0, 0)).toBe(hex(interpolateViridis(0.5)));
    expect(cellFill(svgB, 0, 0)).toBe(cellFill(svgA, 0, 0));
    expect(cellFill(svgB, 0, 1)).toBe('#440154');
    expect(cellFill(svgB, 0, 2)).toBe('#fde725');
    expect(cellFill(svgB, 0, 3)).toBe('#440154');
  });

  it('maps a difference map on [-d, d] with d given by the caller', () => {
    createHeatmap(mountContainer(), {
      scale: 'difference',
      differenceExtent: 0.5,
      caption: 'A − B',
    }).update({
      rowLabels: ['r'],
      colLabels: ['a', 'b', 'c', 'd'],
      values: [[0.5, -0.5, 0.25, 2]],
    });
    const svg = document.querySelector('svg')!;
    expect(cellFill(svg, 0, 0)).toBe(hex(interpolateBrBG(1)));
    expect(cellFill(svg, 0, 1)).toBe(hex(interpolateBrBG(0)));
    expect(cellFill(svg, 0, 2)).toBe(hex(interpolateBrBG(0.75)));
    expect(cellFill(svg, 0, 3)).toBe(hex(interpolateBrBG(1)));
    expect(() => createHeatmap(mountContainer(), { scale: 'difference', caption: '' })).toThrow(
      /differenceExtent is undefined, expected a positive number/,
    );
  });

  it('draws null and non-finite cells hatched, says "undefined" in the tooltip, legend and summary', () => {
    const chart = createHeatmap(mountContainer(), { scale: 'diverging', caption: 'c' });
    chart.update({
      rowLabels: ['a', 'b'],
      colLabels: ['a', 'b'],
      values: [
        [1, null],
        [Number.NaN, 0.12],
      ],
    });
    const svg = document.querySelector('svg')!;
    const patternId = svg.querySelector('pattern')!.getAttribute('id');
    expect(cellFill(svg, 0, 1)).toBe(`url(#${patternId})`);
    expect(cellFill(svg, 1, 0)).toBe(`url(#${patternId})`);
    expect(svg.querySelector('.strata-color-legend')!.textContent).toContain('undefined');
    expect(svg.getAttribute('aria-label')).toBe(
      'Cosine similarity, 2 by 2 layers, min 0.12 at b × b, max 1 at a × a, 2 undefined',
    );
    svg.dispatchEvent(new FocusEvent('focus'));
    pressKey(svg, 'ArrowRight');
    const tooltip = document.querySelector('.strata-tooltip')!;
    expect(tooltip.textContent).toBe('a × bCosine similarity: undefined');
  });

  it('says in an undefined cell’s tooltip and in the summary why it is undefined', () => {
    const why =
      'embeddings: constant (every sample has the same vector, as the class token has before the first block), so its centred Gram matrix is zero and CKA is 0/0';
    const chart = createHeatmap(mountContainer(), { scale: 'sequential', caption: 'c' });
    chart.update({
      rowLabels: ['embeddings', 'layer_1'],
      colLabels: ['embeddings', 'layer_1'],
      values: [
        [null, null],
        [null, 1],
      ],
      rowNotes: [why, null],
      colNotes: [why, null],
    });
    const svg = document.querySelector('svg')!;
    expect(svg.getAttribute('aria-label')).toBe(
      `CKA, 2 by 2 layers, min 1 at layer_1 × layer_1, max 1 at layer_1 × layer_1, 3 undefined (${why})`,
    );
    svg.dispatchEvent(new FocusEvent('focus'));
    pressKey(svg, 'ArrowDown');
    const tooltip = document.querySelector('.strata-tooltip')!;
    const lines = Array.from(tooltip.children, (d) => d.textContent);
    expect(lines.slice(0, 2)).toEqual(['layer_1 × embeddings', 'CKA: undefined']);
    // The reason, whole, on lines short enough for a tooltip that does not wrap.
    expect(lines.slice(2).join(' ')).toBe(`why: ${why}`);
    expect(lines.slice(2).every((l) => l!.length <= 44)).toBe(true);
    // A defined cell says nothing more.
    pressKey(svg, 'ArrowRight');
    expect(Array.from(tooltip.children, (d) => d.textContent)).toEqual([
      'layer_1 × layer_1',
      'CKA: 1.0000',
    ]);
    expect(() =>
      chart.update({ rowLabels: ['a'], colLabels: ['a'], values: [[null]], rowNotes: [] }),
    ).toThrow('rowNotes has 0 entries, expected 1 (one per label) or none');
  });

  it('writes values in cells up to 13 × 13 by default, not beyond, and never when turned off', () => {
    const c1 = createHeatmap(mountContainer(), { scale: 'sequential', caption: '' });
    c1.update(square(13, () => 0.5));
    expect(document.querySelectorAll('.strata-cells text')).toHaveLength(169);
    expect(document.querySelector('.strata-cells text')!.textContent).toBe('0.50');
    c1.update(square(14, () => 0.5));
    expect(document.querySelectorAll('.strata-cells text')).toHaveLength(0);
    c1.destroy();
    createHeatmap(mountContainer(), { scale: 'sequential', caption: '', showValues: false }).update(
      square(3, () => 0.5),
    );
    expect(document.querySelectorAll('.strata-cells text')).toHaveLength(0);
  });

  it('summarises its data for assistive technology', () => {
    createHeatmap(mountContainer(), { scale: 'diverging', caption: '' }).update(
      square(7, (r, c) => (r === 0 && c === 6 ? 0.12 : 1 - Math.abs(r - c) * 0.1)),
    );
    const svg = document.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe(
      'Cosine similarity, 7 by 7 layers, min 0.12 at layer_0 × layer_6, max 1 at layer_0 × layer_0',
    );
  });

  it('shows the exact value and both labels on hover', () => {
    createHeatmap(mountContainer(), { scale: 'diverging', caption: '' }).update({
      rowLabels: ['in', 'out'],
      colLabels: ['p', 'q'],
      values: [
        [0.123456, -0.5],
        [0, 1],
      ],
    });
    const svg = document.querySelector('svg')!;
    const root = svg.querySelector('.strata-cells')!.parentElement!;
    const [, tx, ty] = /translate\(([\d.]+),([\d.]+)\)/
      .exec(root.getAttribute('transform')!)!
      .map(Number);
    const cell = Number(svg.querySelector('.strata-cells rect')!.getAttribute('width'));
    const overlay = svg.querySelector('.strata-overlay')!;
    overlay.dispatchEvent(
      new MouseEvent('mousemove', { clientX: tx + 1.5 * cell, clientY: ty + 0.5 * cell }),
    );
    const tooltip = document.querySelector<HTMLElement>('.strata-tooltip')!;
    expect(Array.from(tooltip.children, (c) => c.textContent)).toEqual([
      'in × q',
      'Cosine similarity: −0.5000',
    ]);
    overlay.dispatchEvent(
      new MouseEvent('mousemove', { clientX: tx + 0.5 * cell, clientY: ty + 0.5 * cell }),
    );
    expect(tooltip.textContent).toContain('0.1235');
    overlay.dispatchEvent(new MouseEvent('mouseleave'));
    expect(tooltip.style.display).toBe('none');
  });

  it('moves a highlighted cell with the arrow keys and announces it', () => {
    createHeatmap(mountContainer(), { scale: 'sequential', caption: '' }).update(
      square(3, (r, c) => (r * 3 + c) / 10),
    );
    const svg = document.querySelector('svg')!;
    expect(svg.getAttribute('tabindex')).toBe('0');
    const focus = svg.querySelector('.strata-focus')!;
    const at = () => [focus.getAttribute('data-row'), focus.getAttribute('data-col')].map(Number);
    svg.dispatchEvent(new FocusEvent('focus'));
    expect(at()).toEqual([0, 0]);
    pressKey(svg, 'ArrowRight');
    pressKey(svg, 'ArrowDown');
    expect(at()).toEqual([1, 1]);
    expect(document.querySelector('[aria-live]')!.textContent).toBe(
      'layer_1 × layer_1, CKA: 0.4000',
    );
    pressKey(svg, 'ArrowLeft');
    pressKey(svg, 'ArrowLeft');
    pressKey(svg, 'ArrowUp');
    pressKey(svg, 'ArrowUp');
    expect(at()).toEqual([0, 0]);
    pressKey(svg, 'End');
    pressKey(svg, 'PageDown');
    expect(at()).toEqual([2, 2]);
    svg.dispatchEvent(new FocusEvent('blur'));
    expect((focus as SVGElement).style.display).toBe('none');
  });

  it('keeps hostile labels and captions as text, in the DOM and in toSvg', () => {
    const caption = HOSTILE_LABELS[1];
    const chart = createHeatmap(mountContainer(), { scale: 'diverging', caption });
    chart.update({
      rowLabels: HOSTILE_LABELS,
      colLabels: HOSTILE_LABELS,
      values: [
        [1, 0],
        [0, 1],
      ],
    });
    const figure = document.querySelector('figure')!;
    const svg = figure.querySelector('svg')!;
    svg.dispatchEvent(new FocusEvent('focus'));
    pressKey(svg, 'ArrowRight');
    expect(figure.querySelector('.strata-tooltip')!.firstChild!.textContent).toBe(
      `${HOSTILE_LABELS[0]} × ${HOSTILE_LABELS[1]}`,
    );
    expect(figure.querySelector('figcaption')!.textContent).toBe(caption);
    expect(figure.querySelector('figcaption')!.children).toHaveLength(0);
    // Long labels are cut on the axis, with the full text in a <title>; both are text nodes.
    const label = figure.querySelector('.strata-row-labels text')!;
    expect(label.firstChild!.nodeType).toBe(Node.TEXT_NODE);
    expect(label.firstChild!.textContent).toBe('<img src=x onerro…');
    expect(label.querySelector('title')!.textContent).toBe(HOSTILE_LABELS[0]);
    expect(figure.querySelector('svg')!.getAttribute('aria-label')).toContain(HOSTILE_LABELS[0]);

    expect(chart.toSvg()).not.toMatch(/<script|<img/i);
    const doc = safeExport(chart, figure);
    expect(doc.querySelector('title')!.textContent).toBe(caption);
    const allText = Array.from(doc.querySelectorAll('text'), (t) => t.textContent).join('|');
    expect(allText).toContain(HOSTILE_LABELS[0]);
  });

  it('exports a self-contained SVG with the cells, caption and no interaction layers', () => {
    const chart = createHeatmap(mountContainer(), {
      scale: 'diverging',
      caption: 'Cosine, cls pooling, N = 1000',
    });
    chart.update(square(4, (r, c) => (r === c ? 1 : 0.3)));
    const doc = safeExport(chart);
    const root = doc.documentElement;
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(doc.querySelectorAll('.strata-cells rect')).toHaveLength(16);
    expect(cellFill(doc, 0, 0)).toBe('#67001f');
    expect(doc.querySelector('.strata-export-caption')!.textContent).toBe(
      'Cosine, cls pooling, N = 1000',
    );
    expect(doc.querySelector('.strata-overlay, .strata-focus')).toBeNull();
    expect(doc.querySelector('linearGradient stop')).not.toBeNull();
    expect(Number(root.getAttribute('height'))).toBeGreaterThan(
      Number(document.querySelector('svg')!.getAttribute('height')),
    );
  });

  it('draws dense grids on a canvas and exports them as rects', () => {
    const fillRect = vi.fn();
    const fills: string[] = [];
    const ctx = {
      set fillStyle(v: string) {
        fills.push(v);
      },
      fillRect,
      setTransform: vi.fn(),
      clearRect: vi.fn(),
      beginPath: vi.fn(),
      moveTo: vi.fn(),
      lineTo: vi.fn(),
      stroke: vi.fn(),
      strokeStyle: '',
    };
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never);
    const chart = createHeatmap(mountContainer(), { scale: 'diverging', caption: 'dense' });
    chart.update(square(50, (r, c) => (r === c ? 1 : r === 0 && c === 1 ? null : 0)));
    expect(document.querySelector('figure canvas')).not.toBeNull();
    expect(document.querySelectorAll('svg .strata-cells rect')).toHaveLength(0);
    expect(fillRect).toHaveBeenCalledTimes(2500);
    expect(fills[0]).toBe('#67001f');
    expect(fills[1]).toBe('#d5d9e0');
    expect(fills[2]).toBe(hex(interpolateRdBu(0.5)));
    const doc = safeExport(chart);
    expect(doc.querySelectorAll('.strata-cells rect')).toHaveLength(2500);
    expect(cellFill(doc, 0, 0)).toBe('#67001f');
    chart.update(square(3, () => 1));
    expect(document.querySelector('figure canvas')).toBeNull();
    expect(document.querySelectorAll('svg .strata-cells rect')).toHaveLength(9);
  });

  it('falls back to SVG rects when the canvas has no 2D context', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    createHeatmap(mountContainer(), { scale: 'sequential', caption: '' }).update(
      square(41, () => 0.5),
    );
    expect(document.querySelector('figure canvas')).toBeNull();
    expect(document.querySelectorAll('svg .strata-cells rect')).toHaveLength(41 * 41);
  });

  it('rejects malformed data with an error that names the entry', () => {
    const chart = createHeatmap(mountContainer(), { scale: 'sequential', caption: '' });
    expect(() => chart.update({ rowLabels: ['a', 'b'], colLabels: ['a'], values: [[1]] })).toThrow(
      'heatmap.update: values has 1 rows, expected 2 (one per row label)',
    );
    expect(() => chart.update({ rowLabels: ['a'], colLabels: ['a', 'b'], values: [[1]] })).toThrow(
      'values[0] has 1 entries, expected 2',
    );
    expect(() =>
      chart.update({ rowLabels: ['a'], colLabels: ['a'], values: [['1' as unknown as number]] }),
    ).toThrow('values[0][0] is "1", expected a number or null');
  });

  it('resizes, and destroy removes the figure and every listener', () => {
    let container!: HTMLDivElement;
    const chart = destroyCleanly((mounted) => {
      container = mounted;
      const chart = createHeatmap(container, { scale: 'sequential', caption: '', width: 400 });
      chart.update(square(3, () => 0.5));
      const svg = container.querySelector('svg')!;
      expect(svg.getAttribute('width')).toBe('400');
      chart.resize(600);
      expect(svg.getAttribute('width')).toBe('600');
      chart.resize(600, 300);
      expect(svg.getAttribute('height')).toBe('300');
      return chart;
    });
    chart.update(square(2, () => 1));
    expect(container.childNodes).toHaveLength(0);
    expect(chart.data().rowLabels).toHaveLength(3);
  });
});
