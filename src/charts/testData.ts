/** Example data of each chart, shared by its tests and the snapshot test. */
import type { HeatmapData } from './heatmapData';
import type { HistogramData } from './histogram';
import type { LineChartData } from './lineData';
import type { StreamPoint } from './streamingChart';
import type { TradeoffData } from './tradeoffData';

/** `layer_0` … `layer_{n-1}` (or another prefix). */
export const layerLabels = (n: number, prefix = 'layer_') =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** An n × n layer heatmap with value f(row, column). */
export function squareHeatmap(n: number, f: (r: number, c: number) => number | null): HeatmapData {
  const l = layerLabels(n);
  return { rowLabels: l, colLabels: l, values: l.map((_, r) => l.map((_, c) => f(r, c))) };
}

/** Two accuracy curves; the second has a colour, a dash, a gap and a marker. */
export const lineExample: LineChartData = {
  xLabels: ['emb', 'layer_1', 'layer_2', 'layer_3', 'layer_4'],
  series: [
    { name: 'standard', values: [0.1, 0.2, 0.5, 0.8, 0.9] },
    {
      name: 'aligned',
      values: [0.3, 0.6, null, 0.9, 0.92],
      color: '#ff0000',
      dashed: true,
      marker: { index: 3, label: 'minimal depth: layer 3' },
    },
  ],
};

/** Exit-layer counts of two methods over three layers. */
export const histogramExample: HistogramData = {
  labels: ['layer_1', 'layer_2', 'layer_3'],
  series: [
    { name: 'single classifier', counts: [1, 3, 0] },
    { name: 'multi-head', counts: [2, 2, 4] },
  ],
};

/** A 12-layer trade-off: three thresholds of one classifier, one of the multi-head baseline. */
export const tradeoffExample: TradeoffData = {
  layers: 12,
  series: [
    {
      name: 'single classifier',
      points: [
        { threshold: 0.99, meanExitLayer: 12, accuracy: 0.97 },
        { threshold: 0.9, meanExitLayer: 6, accuracy: 0.95 },
        { threshold: 0.5, meanExitLayer: 1, accuracy: 0.5 },
      ],
    },
    {
      name: 'multi-head',
      points: [{ threshold: 0.9, meanExitLayer: 4, accuracy: 0.9 }],
      dashed: true,
    },
  ],
};

/** Training steps `from` … `to - 1` of `series`, with loss 1 / (step + 1). */
export const lossSteps = (series: string, from: number, to: number): StreamPoint[] =>
  Array.from({ length: to - from }, (_, i) => ({ series, x: from + i, y: 1 / (from + i + 1) }));
