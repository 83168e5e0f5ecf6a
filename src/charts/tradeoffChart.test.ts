// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createTradeoffChart } from './tradeoffChart';
import { seriesPalette } from './colors';
import {
  accuracyDomain,
  describeAccuracyDomain,
  perplexityDomain,
  speedupTicks,
} from './tradeoffData';
import { estimateTextWidth } from './text';
import { tradeoffExample as data } from './testData';
import type { TradeoffData } from './tradeoffData';
import { HOSTILE_LABELS, destroyCleanly, mountContainer, pressKey, safeExport } from './testing';

afterEach(() => document.body.replaceChildren());

const plotSize = () => {
  const overlay = document.querySelector('.strata-tradeoff-chart rect[data-export="skip"]')!;
  return [Number(overlay.getAttribute('width')), Number(overlay.getAttribute('height'))];
};
const dots = (k: number) =>
  Array.from(document.querySelectorAll(`.strata-lines .strata-series:nth-child(${k + 1}) circle`));

const pt = (meanExitLayer: number, accuracy: number) => ({ meanExitLayer, accuracy });

interface TextBox {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
/** The box an 11 px text covers from the position set on it (jsdom has no layout). */
function textBox(el: Element, anchor: 'start' | 'middle', dx = 0): TextBox {
  const text = el.textContent ?? '';
  const width = estimateTextWidth(text, 11);
  const x = dx + Number(el.getAttribute('x') ?? 0) - (anchor === 'middle' ? width / 2 : 0);
  const baseline = Number(el.getAttribute('y') ?? 0);
  return { text, x, y: baseline - 11, width, height: 13 };
}
const intersects = (a: Omit<TextBox, 'text'>, b: Omit<TextBox, 'text'>) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('createTradeoffChart', () => {
  it('draws a language model’s perplexity on y with the perplexity measure, its axis fitted', () => {
    const lm: TradeoffData = {
      layers: 4,
      series: [
        {
          name: 'lm',
          points: [
            { meanExitLayer: 1, accuracy: 0.1, perplexity: 300 },
            { meanExitLayer: 4, accuracy: 0.2, perplexity: 100 },
          ],
        },
      ],
    };
    expect(perplexityDomain(lm)).toEqual([80, 320]);
    const host = mountContainer();
    createTradeoffChart(host, { caption: 'lm', measure: 'perplexity' }).update(lm);
    const [, h] = plotSize();
    const [first, last] = dots(0).map((c) => Number(c.getAttribute('cy')));
    expect(first).toBeCloseTo((h * 20) / 240, 6);
    expect(last).toBeCloseTo((h * 220) / 240, 6);
    expect(host.textContent).toContain('perplexity');
    expect(host.querySelector('svg')!.getAttribute('aria-label') ?? host.textContent).toContain(
      'perplexity 100 to 300',
    );
    const bad = {
      layers: 4,
      series: [{ name: 'lm', points: [{ meanExitLayer: 2, accuracy: 0.1 }] }],
    };
    expect(() =>
      createTradeoffChart(mountContainer(), { caption: 'lm', measure: 'perplexity' }).update(bad),
    ).toThrow('series "lm" point 0 has perplexity undefined, expected a finite number');
  });

  it('places points on x = mean exit layer over [1, L] and y = accuracy over a given [0, 1]', () => {
    createTradeoffChart(mountContainer(), { caption: 'exit', yDomain: [0, 1] }).update(data);
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

  it('fits the accuracy axis to the points, padded and rounded to 5 %, and says so', () => {
    const close: TradeoffData = {
      layers: 12,
      series: [
        { name: 'single classifier', points: [0.92, 0.95, 0.98].map((a, i) => pt(4 * i + 1, a)) },
        { name: 'multi-head', points: [0.93, 0.97].map((a, i) => pt(4 * i + 2, a)) },
      ],
    };
    expect(accuracyDomain(close)).toEqual([0.9, 1]);
    createTradeoffChart(mountContainer(), { caption: '' }).update(close);
    const [, h] = plotSize();
    // 92 % lies a fifth of the way up an axis from 90 to 100 %, 98 % four fifths.
    const cys = dots(0).map((c) => Number(c.getAttribute('cy')));
    expect(cys[0]).toBeCloseTo(h * 0.8, 6);
    expect(cys[2]).toBeCloseTo(h * 0.2, 6);
    const ticks = Array.from(
      document.querySelectorAll('.strata-y-axis .tick text'),
      (t) => t.textContent,
    );
    expect(ticks[0]).toBe('90%');
    expect(ticks[ticks.length - 1]).toBe('100%');
    expect(document.querySelector('svg')!.getAttribute('aria-label')).toContain(
      'accuracy axis 90–100 %',
    );
    expect(describeAccuracyDomain(accuracyDomain(close))).toBe('accuracy axis 90–100 %');
  });

  it('keeps the fitted axis within [0, 1], wider for spread points, [0, 1] with none', () => {
    const one = (accs: number[]): TradeoffData => ({
      layers: 4,
      series: [{ name: 'm', points: accs.map((a) => pt(2, a)) }],
    });
    expect(accuracyDomain(one([]))).toEqual([0, 1]);
    expect(accuracyDomain(one([0.5, 0.97]))).toEqual([0.4, 1]);
    expect(accuracyDomain(one([0.001, 0.999]))).toEqual([0, 1]);
    expect(accuracyDomain(one([0.95]))).toEqual([0.9, 1]);
    expect(accuracyDomain(one([0.6]))).toEqual([0.55, 0.65]);
  });

  it('keeps the current point’s label inside the plot, off the speed-up ticks and the points', () => {
    // The operating point near the top under the 3× and 4× ticks, as on the built-in models.
    const top: TradeoffData = {
      layers: 12,
      series: [
        {
          name: 'single classifier',
          points: [pt(12 / 4.01, 0.973), pt(3.5, 0.975), pt(6, 0.977), pt(12, 0.978)],
        },
        { name: 'multi-head', points: [pt(2.5, 0.95), pt(4, 0.972), pt(12, 0.979)] },
      ],
    };
    for (const width of [300, 520]) {
      document.body.replaceChildren();
      const chart = createTradeoffChart(mountContainer(), { caption: '', width });
      chart.update(top);
      chart.setCurrent(0);
      const [w, h] = plotSize();
      const label = document.querySelector('.strata-current text')!;
      expect(label.textContent).toBe('97.3% · 4.01×');
      const box = textBox(label, 'start');
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(w);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(h);
      const tickBoxes = Array.from(document.querySelectorAll('.strata-speedup-axis .tick'), (t) => {
        const x = Number(/translate\(([-\d.]+)/.exec(t.getAttribute('transform')!)![1]);
        const text = t.querySelector('text')!;
        return textBox(text, 'middle', x);
      });
      expect(tickBoxes.map((b) => b.text)).toContain('3×');
      for (const t of tickBoxes) expect(intersects(box, t)).toBe(false);
      for (const c of [...dots(0).slice(1), ...dots(1)]) {
        const [cx, cy] = [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))];
        expect(intersects(box, { x: cx - 3, y: cy - 3, width: 6, height: 6 })).toBe(false);
      }
    }
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
