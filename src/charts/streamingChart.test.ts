// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStreamingChart } from './streamingChart';
import { seriesPalette } from './colors';
import { lossSteps as steps } from './testData';
import { HOSTILE_LABELS, destroyCleanly, mountContainer, pressKey, safeExport } from './testing';

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

/** Replaces requestAnimationFrame with a queue the test runs by hand. */
function manualFrames() {
  const queue: FrameRequestCallback[] = [];
  const raf = vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => queue.push(cb));
  const cancel = vi.spyOn(window, 'cancelAnimationFrame').mockImplementation(() => {});
  return { raf, cancel, run: () => queue.splice(0).forEach((cb) => cb(0)) };
}
const paths = () => Array.from(document.querySelectorAll<SVGPathElement>('.strata-lines path'));
describe('createStreamingChart', () => {
  it('appends without redrawing from scratch, at most once per animation frame', () => {
    const frames = manualFrames();
    const chart = createStreamingChart(mountContainer(), { caption: 'Loss', yTitle: 'loss' });
    chart.append(steps('aligned', 0, 10));
    chart.append(steps('standard', 0, 10));
    chart.append(steps('aligned', 10, 20));
    expect(frames.raf).toHaveBeenCalledTimes(1);
    expect(paths()).toHaveLength(0);
    frames.run();
    const [aligned, standard] = paths();
    expect(aligned.getAttribute('data-series')).toBe('aligned');
    expect(aligned.getAttribute('stroke')).toBe(seriesPalette[0]);
    expect(standard.getAttribute('stroke')).toBe(seriesPalette[1]);
    expect(aligned.getAttribute('d')!.split('L')).toHaveLength(20);
    chart.append(steps('aligned', 20, 25));
    expect(frames.raf).toHaveBeenCalledTimes(2);
    frames.run();
    // The same path element grew: earlier points stay, nothing was rebuilt.
    expect(paths()[0]).toBe(aligned);
    expect(aligned.getAttribute('d')!.split('L')).toHaveLength(25);
    const points = chart.data().series[0].points;
    expect(points[0]).toEqual({ x: 0, y: 1 });
    expect(points).toHaveLength(25);
    expect(document.querySelector('svg')!.getAttribute('aria-label')).toBe(
      'loss, 2 series: aligned 25 points, last 0.04 at x 24; standard 10 points, last 0.1 at x 9',
    );
  });

  it('bounds the buffer per series while keeping the start and the latest point', () => {
    const frames = manualFrames();
    const chart = createStreamingChart(mountContainer(), { caption: '' });
    for (let from = 0; from < 12_000; from += 1000) chart.append(steps('loss', from, from + 1000));
    frames.run();
    const xs = chart.data().series[0].points.map((p) => p.x);
    expect(xs.length).toBeLessThanOrEqual(5000);
    expect(xs[0]).toBe(0);
    expect(xs[xs.length - 1]).toBe(11_999);
    expect(paths()[0].getAttribute('d')!.split('L')).toHaveLength(xs.length);
  });

  it('falls back to a timer when requestAnimationFrame is absent', async () => {
    const saved = Object.getOwnPropertyDescriptor(window, 'requestAnimationFrame')!;
    Object.defineProperty(window, 'requestAnimationFrame', {
      value: undefined,
      configurable: true,
      writable: true,
    });
    try {
      const chart = createStreamingChart(mountContainer(), { caption: '' });
      chart.append(steps('a', 0, 3));
      chart.append(steps('a', 3, 6));
      expect(paths()).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(paths()[0].getAttribute('d')!.split('L')).toHaveLength(6);
    } finally {
      Object.defineProperty(window, 'requestAnimationFrame', saved);
    }
  });

  it('draws a log-scale y axis and leaves out points that cannot be on it', () => {
    manualFrames();
    const chart = createStreamingChart(mountContainer(), { caption: '', yScale: 'log' });
    chart.append([
      { series: 'loss', x: 0, y: 1 },
      { series: 'loss', x: 1, y: 0.1 },
      { series: 'loss', x: 2, y: 0 },
      { series: 'loss', x: 3, y: 0.01 },
    ]);
    chart.flush();
    const ticks = Array.from(
      document.querySelectorAll('.strata-y-axis .tick text'),
      (t) => t.textContent,
    );
    expect(ticks).toContain('0.01');
    expect(ticks).toContain('1');
    expect(paths()[0].getAttribute('d')!.match(/M/g)).toHaveLength(2);
  });

  it('update replaces the data; append then keeps adding to it', () => {
    manualFrames();
    const chart = createStreamingChart(mountContainer(), { caption: '', colors: { b: '#00ff00' } });
    chart.update({ series: [{ name: 'b', points: [{ x: 0, y: 2 }] }] });
    chart.append([{ series: 'b', x: 1, y: 1 }]);
    chart.flush();
    expect(chart.data()).toEqual({
      series: [
        {
          name: 'b',
          points: [
            { x: 0, y: 2 },
            { x: 1, y: 1 },
          ],
        },
      ],
    });
    expect(paths()[0].getAttribute('stroke')).toBe('#00ff00');
    expect(() => chart.append([{ series: 'b', x: 2, y: '1' as unknown as number }])).toThrow(
      'streamingChart.append: point 0 is {"series":"b","x":2,"y":"1"}, expected { series: string, x: number, y: number }',
    );
  });

  it('reads out the latest values from the keyboard', () => {
    manualFrames();
    const chart = createStreamingChart(mountContainer(), { caption: '', xTitle: 'step' });
    chart.append([...steps('a', 0, 5), ...steps('b', 0, 3)]);
    chart.flush();
    const svg = document.querySelector('svg')!;
    svg.dispatchEvent(new FocusEvent('focus'));
    expect(document.querySelector('[aria-live]')!.textContent).toBe('step 4, a: 0.2, b: 0.3333');
    pressKey(svg, 'Home');
    expect(document.querySelector('[aria-live]')!.textContent).toBe('step 0, a: 1, b: 1');
  });

  it('keeps hostile series names as text and exports what is pending', () => {
    manualFrames();
    const chart = createStreamingChart(mountContainer(), { caption: HOSTILE_LABELS[1] });
    chart.append(HOSTILE_LABELS.map((series, i) => ({ series, x: i, y: i + 1 })));
    const doc = safeExport(chart);
    expect(doc.querySelectorAll('.strata-lines path')).toHaveLength(2);
    // A name longer than 28 characters is cut in the legend, its full text in a <title>.
    const legend = Array.from(doc.querySelectorAll('.strata-legend text'));
    expect(legend.map((t) => t.firstChild!.textContent)).toEqual([
      HOSTILE_LABELS[0],
      '"></text><script>alert(1)</…',
    ]);
    expect(legend[1].querySelector('title')!.textContent).toBe(HOSTILE_LABELS[1]);
  });

  it('destroy cancels the pending frame and removes everything', () => {
    const frames = manualFrames();
    const chart = destroyCleanly((container) => {
      const chart = createStreamingChart(container, { caption: '' });
      chart.append(steps('a', 0, 3));
      return chart;
    });
    expect(frames.cancel).toHaveBeenCalledTimes(1);
    chart.append(steps('a', 3, 6));
    expect(frames.raf).toHaveBeenCalledTimes(1);
  });
});
