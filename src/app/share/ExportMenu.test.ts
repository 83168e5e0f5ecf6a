// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Chart } from '../../charts/chart';
import { createHeatmap, type HeatmapData, type HeatmapOptions } from '../../charts/heatmap';
import { pressKey } from '../../charts/testing';
import { ChartView } from '../charts/ChartView';
import { resetStrata, useStrata } from '../store';
import { exportSources } from './chartRegistry';
import { makeExport } from './chartExport';
import { exportContextOf } from './exportContext';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const data: HeatmapData = {
  rowLabels: ['a', 'b'],
  colLabels: ['a', 'b'],
  values: [
    [1, 0.5],
    [0.5, 1],
  ],
};

let root: Root;
let container: HTMLDivElement;
let downloads: { name: string; blob: Blob }[];

beforeEach(() => {
  resetStrata();
  useStrata.getState().setConfig({ modelId: 'mnist-aligned' });
  container = document.createElement('div');
  document.body.appendChild(container);
  root = createRoot(container);
  downloads = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = vi.fn((blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    downloads.push({ name: this.download, blob: blobs.get(this.href)! });
  });
});
afterEach(() => {
  act(() => root.unmount());
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

function renderHeatmap(stale: string | null = null) {
  act(() =>
    root.render(
      createElement(ChartView<HeatmapData, HeatmapOptions, Chart<HeatmapData>>, {
        create: createHeatmap,
        options: { scale: 'diverging', caption: 'Cosine similarity · mnist-aligned · N = 2' },
        data,
        stale,
      }),
    ),
  );
}

describe('the export menu under a chart', () => {
  it('is a labelled disclosure with the four formats and a PNG size choice', () => {
    renderHeatmap();
    const menu = container.querySelector('details.export-menu')!;
    expect(menu.querySelector('summary')?.textContent).toBe(
      'Export: Cosine similarity · mnist-aligned · N = 2',
    );
    const group = menu.querySelector('[role="group"]')!;
    expect(group.getAttribute('aria-label')).toBe(
      'Export Cosine similarity · mnist-aligned · N = 2',
    );
    expect(Array.from(group.querySelectorAll('button'), (b) => b.textContent)).toEqual([
      'SVG',
      'PNG',
      'CSV',
      'JSON',
    ]);
    const select = group.querySelector('select')!;
    expect(document.querySelector(`label[for="${select.id}"]`)?.textContent).toBe('PNG size');
    expect(select.value).toBe('2');
    expect(Array.from(select.options, (o) => o.textContent)).toEqual([
      '1×',
      '2× (default)',
      '4×',
      'width in px',
    ]);
  });

  it('downloads an SVG and a CSV named after the chart, the model and the day', async () => {
    renderHeatmap();
    const button = (name: string) =>
      Array.from(container.querySelectorAll('button')).find((b) => b.textContent === name)!;
    await act(async () => button('SVG').click());
    await act(async () => button('CSV').click());
    await vi.waitFor(() => expect(downloads).toHaveLength(2));
    const day = new Date().toISOString().slice(0, 10);
    expect(downloads.map((d) => d.name)).toEqual([
      `strata-cosine-similarity-mnist-aligned-${day}.svg`,
      `strata-cosine-similarity-mnist-aligned-${day}.csv`,
    ]);
    expect(downloads[0].blob.type).toBe('image/svg+xml');
    expect(container.querySelector('[role="status"]')?.textContent).toBe(
      `Saved ${downloads[1].name}`,
    );
  });

  it('puts an export that fails in the alert region, naming the chart and the format', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    renderHeatmap();
    const png = Array.from(container.querySelectorAll('button')).find(
      (b) => b.textContent === 'PNG',
    )!;
    await act(async () => png.click());
    await vi.waitFor(() =>
      expect(useStrata.getState().ui.alerts.map((a) => a.text)).toEqual([
        'Export PNG of "Cosine similarity · mnist-aligned · N = 2": svgStringToPng: this environment has no 2D canvas (PNG export needs a browser)',
      ]),
    );
    expect(downloads).toEqual([]);
  });

  it('closes on Escape and gives focus back to its summary', () => {
    renderHeatmap();
    const menu = container.querySelector('details')!;
    menu.open = true;
    const json = menu.querySelectorAll('button')[3];
    json.focus();
    act(() => pressKey(json, 'Escape'));
    expect(menu.open).toBe(false);
    expect(document.activeElement).toBe(menu.querySelector('summary'));
  });

  it('refuses to export a chart that is out of date, in the menu and at the export itself', async () => {
    renderHeatmap();
    const note =
      'out of date (computed for mnist-aligned, mnist); updating… for imdb-aligned, imdb';
    renderHeatmap(note);
    const buttons = Array.from(container.querySelectorAll('.export-formats button'));
    expect(buttons.map((b) => (b as HTMLButtonElement).disabled)).toEqual([true, true, true, true]);
    expect(container.querySelector('[data-testid="export-refused"]')?.textContent).toBe(
      'Not exported while this chart is out of date: it is updating.',
    );
    // A click that races the chart going stale is refused where the file is made.
    const source = exportSources()[0];
    expect(source.stale?.()).toBe(note);
    const ctx = exportContextOf(useStrata.getState(), source.caption());
    await expect(makeExport(source, 'csv', ctx)).rejects.toThrow(
      `not exported while the chart is ${note}; export it once it has updated`,
    );
    expect(downloads).toEqual([]);
    renderHeatmap(null);
    expect(source.stale?.()).toBeNull();
    expect((buttons[2] as HTMLButtonElement).disabled).toBe(false);
    await expect(makeExport(source, 'csv', ctx)).resolves.toMatchObject({
      name: expect.any(String),
    });
  });

  it('lists the chart for the report while it is mounted', () => {
    renderHeatmap();
    expect(exportSources().map((s) => [s.kind, s.caption()])).toEqual([
      ['heatmap', 'Cosine similarity · mnist-aligned · N = 2'],
    ]);
    expect(exportSources()[0].data()).toBe(data);
    act(() => root.unmount());
    expect(exportSources()).toEqual([]);
    root = createRoot(container);
  });
});
