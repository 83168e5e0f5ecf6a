// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createTradeoffChart } from './tradeoffChart';
import { seriesPalette } from './colors';
import { speedupTicks } from './tradeoffData';
import { tradeoffExample as data } from './testData';
import { HOSTILE_LABELS, destroyCleanly, mountContainer, pressKey, safeExport } from './testing';

afterEach(() => document.body.replaceChildren());

const plotSize = () => {
  const overlay = document.querySelector('.strata-tradeoff-chart rect[data-export="skip"]')!;
  return [Number(overlay.getAttribute('width')), Number(overlay.getAttribute('height'))];
};
const dots = (k: number) =>
  Array.from(document.querySelectorAll(`.strata-lines .strata-series:nth-child(${k + 1}) circle`));

describe('createTradeoffChart', () => {
  it('places points on x = mean exit layer over [1, L] and y = accuracy over [0, 1]', () => {
    createTradeoffChart(mountContainer(), { caption: 'exit' }).update(data);
    const [w, h] = plotSize();
    const [last, mid, first] = dots(0).map((c) => [
      Number(c.getAttribute('cx')),
      Number(c.getAttribute('cy')),
    ]);
    expect(first[0]).toBeCloseTo(0, 6);
    expect(last[0]).toBeCloseTo(w, 6);
    expect(mid[0]).toBeCloseTo((w * 5) / 11, 6);
    expect(first[1]).toBeCloseTo(h / 2, 6);
    expect(last[1]).toBeCloseTo(h * 0.03, 6);
    expect(document.querySelectorAll('.strata-lines path')[1].getAttribute('stroke')).toBe(
      seriesPalette[1],
    );
    expect(
      document.querySelectorAll('.strata-lines path')[1].getAttribute('stroke-dasharray'),
    ).toBe('6,4');
  });

  it('labels a top axis with the speed-up L / mean exit layer at the matching positions', () => {
    createTradeoffChart(mountContainer(), { caption: '' }).update(data);
    const [w] = plotSize();
    const ticks = Array.from(document.querySelectorAll('.strata-speedup-axis .tick'), (t) => [
      t.textContent,
      Number(/translate\(([\d.]+)/.exec(t.getAttribute('transform')!)![1]),
    ]);
    // d3's axis shifts ticks by half a pixel for crisp lines.
    const at = (label: string) => (ticks.find(([t]) => t === label)?.[1] as number) - 0.5;
    expect(at('1×')).toBeCloseTo(w, 6); // exit at layer 12
    expect(at('2×')).toBeCloseTo((w * 5) / 11, 6); // exit at layer 6
    expect(at('12×')).toBeCloseTo(0, 6); // exit at layer 1
  });

  it('picks speed-up ticks that are round, within [1, L] and apart', () => {
    const x = (layer: number) => ((layer - 1) / 11) * 400;
    const ticks = speedupTicks(12, x, 28);
    expect(ticks[0]).toBe(12);
    expect(ticks).toContain(1);
    expect(ticks.every((s) => s >= 1 && s <= 12)).toBe(true);
    const px = ticks.map((s) => x(12 / s));
    expect(px.every((p, i) => i === 0 || p - px[i - 1] >= 28)).toBe(true);
  });

  it('highlights the current point by index, by series and index, or by coordinates', () => {
    const chart = createTradeoffChart(mountContainer(), { caption: '' });
    chart.update(data);
    const ring = () => document.querySelector('.strata-current circle');
    chart.setCurrent(1);
    expect(ring()!.getAttribute('cx')).toBe(dots(0)[1].getAttribute('cx'));
    expect(document.querySelector('.strata-current text')!.textContent).toBe('95.0% · 2×');
    expect(document.querySelector('svg')!.getAttribute('aria-label')).toContain(
      'current: single classifier 95.0% at mean exit layer 6',
    );
    chart.setCurrent({ series: 'multi-head', index: 0 });
    expect(ring()!.getAttribute('cy')).toBe(dots(1)[0].getAttribute('cy'));
    expect(ring()!.getAttribute('fill')).toBe(seriesPalette[1]);
    chart.setCurrent({ x: 3, y: 0.8 });
    expect(document.querySelector('.strata-current text')!.textContent).toBe('80.0% · 4×');
    chart.setCurrent(null);
    expect(ring()).toBeNull();
    chart.setCurrent(1);
    expect(safeExport(chart).querySelector('.strata-current circle')).not.toBeNull();
  });

  it('reads out points with the keyboard: left/right along a method, up/down between methods', () => {
    createTradeoffChart(mountContainer(), { caption: '' }).update(data);
    const svg = document.querySelector('svg')!;
    const live = () => document.querySelector('[aria-live]')!.textContent;
    svg.dispatchEvent(new FocusEvent('focus'));
    expect(live()).toBe(
      'single classifier, τ = 0.5, mean exit layer 1 (12× speed-up), accuracy 50.0%',
    );
    pressKey(svg, 'ArrowRight');
    expect(live()).toContain('mean exit layer 6 (2× speed-up)');
    pressKey(svg, 'ArrowUp');
    expect(live()).toBe('multi-head, τ = 0.9, mean exit layer 4 (3× speed-up), accuracy 90.0%');
  });

  it('rejects points outside [1, L], naming them', () => {
    const chart = createTradeoffChart(mountContainer(), { caption: '' });
    expect(() =>
      chart.update({
        layers: 4,
        series: [{ name: 'm', points: [{ meanExitLayer: 5, accuracy: 1 }] }],
      }),
    ).toThrow(
      'tradeoffChart.update: series "m" point 0 has mean exit layer 5, expected a value in [1, 4]',
    );
    expect(() => chart.update({ layers: 0, series: [] })).toThrow(
      'layers is 0, expected a positive integer (L)',
    );
  });

  it('keeps hostile method names as text; destroy removes everything', () => {
    destroyCleanly((container) => {
      const chart = createTradeoffChart(container, { caption: HOSTILE_LABELS[0] });
      chart.update({
        layers: 4,
        series: HOSTILE_LABELS.map((name) => ({
          name,
          points: [{ meanExitLayer: 2, accuracy: 0.5 }],
        })),
      });
      container.querySelector('svg')!.dispatchEvent(new FocusEvent('focus'));
      expect(container.querySelector('.strata-tooltip')!.firstChild!.textContent).toBe(
        HOSTILE_LABELS[0],
      );
      const doc = safeExport(chart, container);
      expect(doc.querySelector('title')!.textContent).toBe(HOSTILE_LABELS[0]);
      return chart;
    });
  });
});
