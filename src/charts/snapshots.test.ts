// @vitest-environment jsdom
import { afterEach, expect, it } from 'vitest';
import type { Chart } from './chart';
import { createHeatmap } from './heatmap';
import { createHistogram } from './histogram';
import { createLineChart } from './lineChart';
import { createStreamingChart } from './streamingChart';
import {
  histogramExample,
  lineExample,
  lossSteps,
  squareHeatmap,
  tradeoffExample,
} from './testData';
import { mountContainer, pressKey } from './testing';
import { createTradeoffChart } from './tradeoffChart';

afterEach(() => document.body.replaceChildren());

/** Each chart drawn from its example data, as the page mounts it. */
const charts: Record<string, (container: HTMLElement) => Chart<unknown>> = {
  heatmap(container) {
    const chart = createHeatmap(container, { caption: 'Cosine', scale: 'diverging', width: 360 });
    chart.update(
      squareHeatmap(4, (r, c) => (r === 3 && c === 0 ? null : 1 - 0.2 * Math.abs(r - c))),
    );
    return chart;
  },
  lineChart(container) {
    const chart = createLineChart(container, { caption: 'Accuracy', yDomain: 'accuracy' });
    chart.update(lineExample);
    return chart;
  },
  histogram(container) {
    const chart = createHistogram(container, { caption: 'Exit layers', xTitle: 'layer' });
    chart.update(histogramExample);
    return chart;
  },
  tradeoffChart(container) {
    const chart = createTradeoffChart(container, { caption: 'Early exit', width: 440 });
    chart.update(tradeoffExample);
    chart.setCurrent(1);
    return chart;
  },
  streamingChart(container) {
    const options = { caption: 'Loss', yScale: 'log', xTitle: 'step', yTitle: 'loss' } as const;
    const chart = createStreamingChart(container, options);
    chart.append([...lossSteps('aligned', 0, 6), ...lossSteps('standard', 2, 5)]);
    chart.flush();
    return chart;
  },
};

/*
 * Pins each chart's exported SVG and its live DOM after a keyboard move (the structure the page
 * and the end-to-end specs select on), so that a change of how charts are built shows as a diff.
 */
it.each(Object.keys(charts))('%s keeps its DOM and exported SVG', async (name) => {
  const container = mountContainer();
  const chart = charts[name](container);
  const svg = container.querySelector('svg')!;
  svg.dispatchEvent(new FocusEvent('focus'));
  pressKey(svg, 'ArrowRight');
  expect(container.innerHTML).toMatchSnapshot();
  await expect(chart.toSvg()).toMatchFileSnapshot(`./__snapshots__/${name}.svg`);
});
