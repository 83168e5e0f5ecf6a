// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createLineChart } from './lineChart';
import { seriesPalette } from './colors';
import { boxesIntersect } from './labelPlacement';
import { layerLabels, lineExample as data } from './testData';
import { estimateTextWidth } from './text';
import { HOSTILE_LABELS, destroyCleanly, mountContainer, pressKey, safeExport } from './testing';

afterEach(() => document.body.replaceChildren());

const plotHeight = () =>
  Number(
    document.querySelector('.strata-line-chart rect[data-export="skip"]')!.getAttribute('height'),
  );
const circles = (k: number) =>
  Array.from(document.querySelectorAll(`.strata-series:nth-child(${k + 1}) circle`));

describe('createLineChart', () => {
  it('draws one path per series with its colour, dash and a dot per defined value', () => {
    createLineChart(mountContainer(), { caption: 'Accuracy', yDomain: 'accuracy' }).update(data);
    const paths = Array.from(document.querySelectorAll('.strata-series path'));
    expect(paths).toHaveLength(2);
    expect(paths[0].getAttribute('stroke')).toBe(seriesPalette[0]);
    expect(paths[1].getAttribute('stroke')).toBe('#ff0000');
    expect(paths[0].getAttribute('stroke-dasharray')).toBeNull();
    expect(paths[1].getAttribute('stroke-dasharray')).toBe('6,4');
    expect(circles(0)).toHaveLength(5);
    expect(circles(1)).toHaveLength(4);
    // The null value splits the line into two runs.
    expect(paths[1].getAttribute('d')!.match(/M/g)).toHaveLength(2);
  });

  it('keeps accuracy on the fixed domain [0, 1] shown as %, whatever the data', () => {
    const chart = createLineChart(mountContainer(), {
      caption: '',
      yDomain: 'accuracy',
      height: 300,
    });
    chart.update(data);
    const h = plotHeight();
    expect(Number(circles(0)[2].getAttribute('cy'))).toBeCloseTo(h / 2, 6);
    chart.update({ xLabels: ['a', 'b', 'c'], series: [{ name: 's', values: [0.5, 0.51, 0.52] }] });
    expect(Number(circles(0)[0].getAttribute('cy'))).toBeCloseTo(plotHeight() / 2, 6);
    expect(plotHeight()).not.toBe(h); // the legend and markers changed the layout, not the domain
    const ticks = Array.from(
      document.querySelectorAll('.strata-y-axis .tick text'),
      (t) => t.textContent,
    );
    expect(ticks).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
  });

  it('fits a loss domain [0, nice max] and ignores a caller colour that is not a colour', () => {
    createLineChart(mountContainer(), { caption: '', yDomain: 'loss', height: 300 }).update({
      xLabels: ['a', 'b'],
      series: [{ name: 'loss', values: [2.3, 1], color: 'red;} body{display:none' }],
    });
    // d3's nice() rounds the top of [0, 2.3] to the next tick step, 2.4.
    expect(Number(circles(0)[0].getAttribute('cy'))).toBeCloseTo(plotHeight() * (1 - 2.3 / 2.4), 6);
    expect(Number(circles(0)[1].getAttribute('cy'))).toBeCloseTo(plotHeight() * (1 - 1 / 2.4), 6);
    expect(document.querySelector('.strata-series path')!.getAttribute('stroke')).toBe(
      seriesPalette[0],
    );
  });

  it('marks a layer with a labelled vertical line in the series colour', () => {
    createLineChart(mountContainer(), { caption: '', yDomain: 'accuracy', width: 520 }).update(
      data,
    );
    const line = document.querySelector('.strata-markers line')!;
    const dots = circles(1);
    expect(line.getAttribute('x1')).toBe(dots[2].getAttribute('cx'));
    expect(line.getAttribute('stroke')).toBe('#ff0000');
    expect(document.querySelector('.strata-markers text')!.textContent).toBe(
      'minimal depth: layer 3',
    );
    expect(document.querySelector('svg')!.getAttribute('aria-label')).toBe(
      'Accuracy per layer, 2 series over 5 layers: standard 10.0% at emb to 90.0% at layer_4; aligned 30.0% at emb to 92.0% at layer_4 (minimal depth: layer 3)',
    );
  });

  it('keeps long minimal-depth labels whole and inside a narrow figure, one clear of the other', () => {
    const long = 'A: fashion-mnist-aligned @ step 120: minimal depth layer_5';
    const other = 'B: fashion-mnist-standard: minimal depth layer_6';
    const labels = layerLabels(7);
    for (const width of [240, 360, 520]) {
      document.body.replaceChildren();
      createLineChart(mountContainer(), { caption: '', yDomain: 'accuracy', width }).update({
        xLabels: labels,
        series: [
          { name: 'A', values: labels.map(() => 0.9), marker: { index: 5, label: long } },
          { name: 'B', values: labels.map(() => 0.8), marker: { index: 6, label: other } },
        ],
      });
      const plot = document.querySelector('.strata-markers')!.parentElement!;
      const [left] = /translate\(([\d.]+)/
        .exec(plot.getAttribute('transform')!)!
        .slice(1)
        .map(Number);
      const texts = Array.from(document.querySelectorAll('.strata-markers text'));
      expect(texts.map((t) => t.textContent)).toEqual([long, other]);
      // Each row's box from the positions set on it (11 px font, 0.6 em a character).
      const boxes = texts.map((t) => {
        let y = Number(t.getAttribute('y'));
        const spans = t.querySelectorAll('tspan');
        const end = t.getAttribute('text-anchor') === 'end';
        return Array.from(spans.length > 0 ? spans : [t], (span, j) => {
          if (j > 0) y += Number(span.getAttribute('dy'));
          const width = estimateTextWidth(span.textContent!.trim(), 11);
          const x = Number(span.getAttribute('x')) - (end ? width : 0);
          return { x, y: y - 11, width, height: 13 };
        });
      });
      for (const b of boxes.flat()) {
        expect(b.x + left).toBeGreaterThanOrEqual(0);
        expect(b.x + left + b.width).toBeLessThanOrEqual(width);
      }
      for (const a of boxes[0]) for (const b of boxes[1]) expect(boxesIntersect(a, b)).toBe(false);
    }
  });

  it('reads out every series at a layer on hover and with the arrow keys', () => {
    createLineChart(mountContainer(), { caption: '', yDomain: 'accuracy' }).update(data);
    const svg = document.querySelector('svg')!;
    const tooltip = document.querySelector('.strata-tooltip')!;
    const x2 = Number(circles(0)[2].getAttribute('cx'));
    const left = Number(
      /translate\(([\d.]+)/.exec(
        svg.querySelector('.strata-grid')!.parentElement!.getAttribute('transform')!,
      )![1],
    );
    svg
      .querySelector('rect[data-export="skip"]')!
      .dispatchEvent(new MouseEvent('mousemove', { clientX: left + x2 + 1, clientY: 50 }));
    expect(Array.from(tooltip.children, (c) => c.textContent)).toEqual([
      'layer_2',
      'standard: 50.0%',
      'aligned: undefined',
    ]);
    // The keyboard continues from the hovered layer.
    svg.dispatchEvent(new FocusEvent('focus'));
    expect(tooltip.firstChild!.textContent).toBe('layer_2');
    pressKey(svg, 'ArrowRight');
    expect(document.querySelector('[aria-live]')!.textContent).toBe(
      'layer_3, standard: 80.0%, aligned: 90.0%',
    );
    pressKey(svg, 'End');
    expect(tooltip.firstChild!.textContent).toBe('layer_4');
    pressKey(svg, 'Home');
    expect(tooltip.firstChild!.textContent).toBe('emb');
  });

  it('keeps hostile names as text in the DOM and in toSvg', () => {
    const chart = createLineChart(mountContainer(), {
      caption: HOSTILE_LABELS[0],
      yDomain: 'accuracy',
    });
    chart.update({
      xLabels: HOSTILE_LABELS,
      series: HOSTILE_LABELS.map((name) => ({
        name,
        values: [0.5, 0.6],
        marker: { index: 1, label: name },
      })),
    });
    const svg = document.querySelector('svg')!;
    svg.dispatchEvent(new FocusEvent('focus'));
    expect(document.querySelector('.strata-tooltip')!.textContent).toContain(HOSTILE_LABELS[1]);
    const doc = safeExport(chart);
    expect(Array.from(doc.querySelectorAll('.strata-markers text'), (t) => t.textContent)).toEqual(
      HOSTILE_LABELS,
    );
    expect(doc.querySelector('.strata-export-caption')!.textContent).toBe(HOSTILE_LABELS[0]);
    expect(doc.querySelectorAll('.strata-series path')).toHaveLength(2);
  });

  it('rejects a series of the wrong length, naming it', () => {
    const chart = createLineChart(mountContainer(), { caption: '', yDomain: 'loss' });
    expect(() =>
      chart.update({ xLabels: ['a', 'b'], series: [{ name: 'aligned', values: [1] }] }),
    ).toThrow('lineChart.update: series "aligned" has 1 values, expected 2 (one per x label)');
  });

  it('destroy removes the figure and its listeners', () => {
    destroyCleanly((container) => {
      const chart = createLineChart(container, { caption: '', yDomain: 'accuracy' });
      chart.update(data);
      chart.resize(300, 200);
      expect(container.querySelector('svg')!.getAttribute('height')).toBe('200');
      return chart;
    });
  });
});
