// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createHistogram } from './histogram';
import { seriesPalette } from './colors';
import { histogramExample as data } from './testData';
import { HOSTILE_LABELS, destroyCleanly, mountContainer, pressKey, safeExport } from './testing';

afterEach(() => document.body.replaceChildren());

const plotHeight = () =>
  Number(
    document.querySelector('.strata-histogram rect.strata-focus + rect')!.getAttribute('height'),
  );
const bar = (s: number, i: number) =>
  document.querySelector(`.strata-bars rect[data-series="${s}"][data-bin="${i}"]`)!;
const num = (el: Element, a: string) => Number(el.getAttribute(a));

describe('createHistogram', () => {
  it('draws a bar per layer and series, side by side in the series colours', () => {
    createHistogram(mountContainer(), { caption: 'exit layers' }).update(data);
    expect(document.querySelectorAll('.strata-bars rect')).toHaveLength(6);
    const groups = document.querySelectorAll('.strata-bars g');
    expect(groups[0].getAttribute('fill')).toBe(seriesPalette[0]);
    expect(groups[1].getAttribute('fill')).toBe(seriesPalette[1]);
    const [a, b] = [bar(0, 1), bar(1, 1)];
    expect(num(a, 'width')).toBeCloseTo(num(b, 'width'), 6);
    expect(num(b, 'x')).toBeGreaterThanOrEqual(num(a, 'x') + num(a, 'width'));
    expect(num(bar(0, 2), 'x')).toBeGreaterThan(num(b, 'x') + num(b, 'width'));
  });

  it('scales counts to [0, nice max] and fractions to the fixed domain [0, 1]', () => {
    const h = 300;
    createHistogram(mountContainer(), { caption: '', height: h }).update(data);
    const ph = plotHeight();
    expect(num(bar(1, 2), 'height')).toBeCloseTo(ph, 6); // 4 is the max count
    expect(num(bar(0, 1), 'height')).toBeCloseTo((ph * 3) / 4, 6);
    expect(num(bar(0, 2), 'height')).toBe(0);
    document.body.replaceChildren();
    createHistogram(mountContainer(), { caption: '', height: h, mode: 'fraction' }).update(data);
    const pf = plotHeight();
    expect(num(bar(0, 1), 'height')).toBeCloseTo(pf * 0.75, 6);
    expect(num(bar(1, 2), 'height')).toBeCloseTo(pf * 0.5, 6);
    const ticks = Array.from(
      document.querySelectorAll('.strata-y-axis .tick text'),
      (t) => t.textContent,
    );
    expect(ticks[ticks.length - 1]).toBe('100%');
  });

  it('reads out a layer with counts and shares, by hover and by keyboard', () => {
    createHistogram(mountContainer(), { caption: '' }).update(data);
    const svg = document.querySelector('svg')!;
    svg.dispatchEvent(new FocusEvent('focus'));
    pressKey(svg, 'ArrowRight');
    expect(document.querySelector('[aria-live]')!.textContent).toBe(
      'layer_2, single classifier: 3 (75.0%), multi-head: 2 (25.0%)',
    );
    expect(
      document.querySelector('.strata-histogram .strata-focus')!.getAttribute('data-bin'),
    ).toBe('1');
    pressKey(svg, 'End');
    expect(document.querySelector('.strata-focus')!.getAttribute('data-bin')).toBe('2');
    const left = Number(
      /translate\(([\d.]+)/.exec(
        document.querySelector('.strata-bars')!.parentElement!.getAttribute('transform')!,
      )![1],
    );
    const first = bar(0, 0);
    document
      .querySelector('.strata-focus + rect')!
      .dispatchEvent(
        new MouseEvent('mousemove', { clientX: left + num(first, 'x') + 1, clientY: 40 }),
      );
    expect(document.querySelector('.strata-tooltip')!.firstChild!.textContent).toBe('layer_1');
    expect(svg.getAttribute('aria-label')).toBe(
      'Histogram over 3 layers: single classifier 4 in total, most at layer_2 (3); multi-head 8 in total, most at layer_3 (4)',
    );
  });

  it('rejects negative counts, naming the series', () => {
    const chart = createHistogram(mountContainer(), { caption: '' });
    expect(() => chart.update({ labels: ['a'], series: [{ name: 'exit', counts: [-1] }] })).toThrow(
      'histogram.update: series "exit" count 0 is -1, expected a number ≥ 0',
    );
  });

  it('keeps hostile labels as text, exports the bars, and destroy removes everything', () => {
    destroyCleanly((container) => {
      const chart = createHistogram(container, { caption: HOSTILE_LABELS[1] });
      chart.update({
        labels: HOSTILE_LABELS,
        series: [{ name: HOSTILE_LABELS[0], counts: [1, 2] }],
      });
      container.querySelector('svg')!.dispatchEvent(new FocusEvent('focus'));
      const doc = safeExport(chart, container);
      expect(doc.querySelectorAll('.strata-bars rect')).toHaveLength(2);
      expect(doc.querySelector('.strata-focus')).toBeNull();
      return chart;
    });
  });
});
