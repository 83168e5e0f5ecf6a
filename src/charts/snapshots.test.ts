// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { Chart } from './chart';
import { createHeatmap } from './heatmap';
import { createHistogram } from './histogram';
import { createLineChart } from './lineChart';
import { createStreamingChart } from './streamingChart';
import { createTradeoffChart } from './tradeoffChart';
import { mountContainer, pressKey } from './testing';

afterEach(() => document.body.replaceChildren());

const layers = ['emb', 'layer_1', 'layer_2', 'layer_3'];

/**
 * Pins each chart's exported SVG and its live DOM after a keyboard move (the structure the page
 * and the end-to-end specs select on), so that a change of how charts are built shows as a diff.
 */
function pin(name: string, chart: Chart<unknown>): Promise<void> {
  const container = document.body.lastElementChild as HTMLElement;
  const svg = container.querySelector('svg')!;
  svg.dispatchEvent(new FocusEvent('focus'));
  pressKey(svg, 'ArrowRight');
  expect(container.innerHTML).toMatchSnapshot();
  return expect(chart.toSvg()).toMatchFileSnapshot(`./__snapshots__/${name}.svg`);
}

describe('chart snapshots', () => {
  it('heatmap', async () => {
    const chart = createHeatmap(mountContainer(), {
      caption: 'Cosine, mean pooling',
      scale: 'diverging',
      width: 360,
    });
    chart.update({
      rowLabels: layers,
      colLabels: layers,
      values: layers.map((_, r) =>
        layers.map((_, c) => (r === 3 && c === 0 ? null : 1 - 0.2 * Math.abs(r - c))),
      ),
    });
    await pin('heatmap', chart);
  });

  it('line chart', async () => {
    const chart = createLineChart(mountContainer(), {
      caption: 'Accuracy per layer',
      yDomain: 'accuracy',
      xTitle: 'layer',
      yTitle: 'accuracy',
      width: 420,
    });
    chart.update({
      xLabels: layers,
      series: [
        { name: 'standard', values: [0.1, 0.3, 0.6, 0.9] },
        {
          name: 'aligned',
          values: [0.4, null, 0.85, 0.92],
          dashed: true,
          marker: { index: 2, label: 'minimal depth' },
        },
      ],
    });
    await pin('lineChart', chart);
  });

  it('histogram', async () => {
    const chart = createHistogram(mountContainer(), {
      caption: 'Exit layers',
      xTitle: 'layer',
      width: 400,
    });
    chart.update({
      labels: layers,
      series: [
        { name: 'single classifier', counts: [0, 3, 5, 2] },
        { name: 'multi-head', counts: [1, 2, 4, 3] },
      ],
    });
    await pin('histogram', chart);
  });

  it('trade-off chart', async () => {
    const chart = createTradeoffChart(mountContainer(), { caption: 'Early exit', width: 440 });
    chart.update({
      layers: 6,
      series: [
        {
          name: 'single classifier',
          points: [
            { threshold: 0.99, meanExitLayer: 6, accuracy: 0.96 },
            { threshold: 0.9, meanExitLayer: 3, accuracy: 0.9 },
          ],
        },
        { name: 'multi-head', dashed: true, points: [{ meanExitLayer: 2, accuracy: 0.8 }] },
      ],
    });
    chart.setCurrent(1);
    await pin('tradeoffChart', chart);
  });

  it('streaming chart', async () => {
    const chart = createStreamingChart(mountContainer(), {
      caption: 'Loss',
      yScale: 'log',
      xTitle: 'step',
      yTitle: 'loss',
      width: 400,
    });
    chart.append(
      [0, 1, 2, 3, 4].flatMap((x) => [
        { series: 'aligned', x, y: 2 / (x + 1) },
        { series: 'standard', x, y: 3 / (x + 2) },
      ]),
    );
    chart.flush();
    await pin('streamingChart', chart);
  });
});
