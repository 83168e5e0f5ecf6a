// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseChartOptions, Chart } from '../../charts/chart';
import { createHeatmap, type HeatmapData, type HeatmapOptions } from '../../charts/heatmap';
import { resetStrata, useStrata } from '../store';
import { ChartView } from './ChartView';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

interface Log {
  created: BaseChartOptions[];
  updates: unknown[];
  captions: string[];
  destroyed: number;
}

/** A chart that records what the adaptor does to it. */
function recordingFactory(log: Log) {
  return (container: HTMLElement, options: BaseChartOptions): Chart<number[]> => {
    log.created.push(options);
    const el = container.ownerDocument.createElement('figure');
    container.appendChild(el);
    let data: number[] = [];
    return {
      update(d) {
        if (d.some((v) => !Number.isFinite(v))) throw new Error('update: values must be finite');
        data = d;
        log.updates.push(d);
      },
      resize: () => undefined,
      setCaption: (t) => void log.captions.push(t),
      destroy() {
        log.destroyed += 1;
        el.remove();
      },
      toSvg: () => '<svg/>',
      data: () => data,
    };
  };
}

let root: Root;
let container: HTMLDivElement;
beforeEach(() => {
  resetStrata();
  container = document.createElement('div');
  document.body.appendChild(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  document.body.replaceChildren();
});

describe('ChartView', () => {
  it('creates once, updates on new data only, re-labels on a caption change, destroys on unmount', () => {
    const log: Log = { created: [], updates: [], captions: [], destroyed: 0 };
    const create = recordingFactory(log);
    const render = (data: number[] | null, caption: string) =>
      act(() => root.render(createElement(ChartView, { create, options: { caption }, data })));
    const first = [1, 2];
    render(first, 'one');
    render(first, 'one');
    render([3], 'two');
    expect(log.created).toHaveLength(1);
    expect(log.updates).toEqual([[1, 2], [3]]);
    expect(log.captions).toContain('two');
    act(() => root.unmount());
    expect(log.destroyed).toBe(1);
    root = createRoot(container);
  });

  it('shows a captioned placeholder until the first data, then mounts the chart for good', () => {
    const log: Log = { created: [], updates: [], captions: [], destroyed: 0 };
    const create = recordingFactory(log);
    const render = (data: number[] | null) =>
      act(() =>
        root.render(createElement(ChartView, { create, options: { caption: 'cap' }, data })),
      );
    render(null);
    expect(log.created).toHaveLength(0);
    expect(container.querySelector('figure.chart-placeholder figcaption')?.textContent).toBe('cap');
    render([1]);
    render(null); // a later null keeps the chart and its picture
    expect(log.created).toHaveLength(1);
    expect(log.updates).toEqual([[1]]);
    expect(log.destroyed).toBe(0);
    expect(container.querySelector('.chart-placeholder')).toBeNull();
  });

  it('keeps its last current picture while stale, dimmed, its caption saying what it updates for', () => {
    const log: Log = { created: [], updates: [], captions: [], destroyed: 0 };
    const create = recordingFactory(log);
    const render = (data: number[] | null, caption: string, stale: string | null) =>
      act(() =>
        root.render(createElement(ChartView, { create, options: { caption }, data, stale })),
      );
    const note = 'out of date (computed for fashion); updating… for imdb';
    const host = () => container.querySelector('.chart-host')!;
    render([1, 2], 'Cosine · fashion', null);
    expect(host().getAttribute('data-stale')).toBeNull();
    // A mixed picture (one side already of the new selection) is never drawn.
    render([9], 'Cosine · imdb vs fashion', note);
    expect(log.updates).toEqual([[1, 2]]);
    expect(host().getAttribute('data-stale')).toBe('true');
    expect(host().classList.contains('chart-stale')).toBe(true);
    expect(log.captions.at(-1)).toBe(`Cosine · fashion — ${note}`);
    expect(container.querySelector('summary')?.textContent).toBe(
      `Export: Cosine · fashion — ${note}`,
    );
    render([9], 'Cosine · imdb', null);
    expect(log.updates).toEqual([[1, 2], [9]]);
    expect(log.captions.at(-1)).toBe('Cosine · imdb');
    expect(host().getAttribute('data-stale')).toBeNull();
  });

  it('keeps the last current options while stale: no re-creation from mixed results', () => {
    const log: Log = { created: [], updates: [], captions: [], destroyed: 0 };
    const create = recordingFactory(log);
    const render = (height: number, caption: string, stale: string | null) =>
      act(() =>
        root.render(
          createElement(ChartView, { create, options: { caption, height }, data: [1], stale }),
        ),
      );
    render(100, 'A − B · f vs f', null);
    render(200, 'A − B · i vs f', 'out of date (computed for f); updating… for i');
    expect(log.created.map((o) => o.height)).toEqual([100]);
    expect(log.captions.at(-1)).toBe(
      'A − B · f vs f — out of date (computed for f); updating… for i',
    );
    render(200, 'A − B · i vs i', null);
    expect(log.created.map((o) => o.height)).toEqual([100, 200]);
    expect(log.created[1].caption).toBe('A − B · i vs i');
  });

  it('draws nothing out of date where no current picture came yet: a marked placeholder', () => {
    const log: Log = { created: [], updates: [], captions: [], destroyed: 0 };
    const create = recordingFactory(log);
    act(() =>
      root.render(
        createElement(ChartView, {
          create,
          options: { caption: 'Cosine · fashion' },
          data: [1],
          stale: 'out of date (computed for fashion); updating… for imdb',
        }),
      ),
    );
    expect(log.created).toHaveLength(0);
    expect(container.querySelector('.chart-host')?.getAttribute('data-stale')).toBe('true');
    expect(container.querySelector('figcaption')?.textContent).toBe(
      'Cosine · fashion — out of date (computed for fashion); updating… for imdb',
    );
  });

  it('re-creates the chart when an option other than the caption changes', () => {
    const log: Log = { created: [], updates: [], captions: [], destroyed: 0 };
    const create = recordingFactory(log);
    const render = (height: number) =>
      act(() =>
        root.render(
          createElement(ChartView, { create, options: { caption: 'c', height }, data: [1] }),
        ),
      );
    render(100);
    render(200);
    expect(log.created.map((o) => o.height)).toEqual([100, 200]);
    expect(log.destroyed).toBe(1);
    expect(log.updates).toEqual([[1], [1]]);
  });

  it('puts a chart’s error in the alert region instead of throwing', () => {
    const log: Log = { created: [], updates: [], captions: [], destroyed: 0 };
    const create = recordingFactory(log);
    act(() =>
      root.render(
        createElement(ChartView, { create, options: { caption: 'bad' }, data: [Number.NaN] }),
      ),
    );
    expect(useStrata.getState().ui.alerts.map((a) => a.text)).toEqual([
      'Chart "bad": update: values must be finite',
    ]);
  });

  it('mounts a real heatmap as a figure with its caption', () => {
    const data: HeatmapData = {
      rowLabels: ['a', 'b'],
      colLabels: ['a', 'b'],
      values: [
        [1, 0.5],
        [0.5, 1],
      ],
    };
    act(() =>
      root.render(
        createElement(ChartView<HeatmapData, HeatmapOptions, Chart<HeatmapData>>, {
          create: createHeatmap,
          options: { scale: 'diverging', caption: 'Cosine · m · d, N = 4' },
          data,
        }),
      ),
    );
    expect(container.querySelector('figure figcaption')?.textContent).toBe('Cosine · m · d, N = 4');
    expect(container.querySelectorAll('.strata-cells rect')).toHaveLength(4);
  });
});
