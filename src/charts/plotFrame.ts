import type { Selection } from 'd3';
import { drawAxisTitle, drawGridLines, styleAxis, turnTickLabels } from './axes';
import { appendOverlay, createFrame, type ChartFrame } from './figure';
import { drawSeriesLegend, type LegendItem } from './seriesLegend';

type G = Selection<SVGGElement, unknown, null, undefined>;

/** Room left of the plot area for the y tick labels and title, and right of it for the last tick. */
const LEFT = 52;
const RIGHT = 16;

/** Where the plot area sits in the figure, in CSS pixels. */
export interface PlotLayout {
  width: number;
  height: number;
  left: number;
  top: number;
  plotW: number;
  plotH: number;
}

/** What `drawAxes` draws around the plot area. */
export interface PlotAxes {
  /** A d3 bottom axis and left axis over the plot area's ranges. */
  x: (g: G) => void;
  y: (g: G) => void;
  /** Pixel y positions of the horizontal grid lines. */
  grid: number[];
  xTitle?: string;
  yTitle?: string;
  /** Turn the x tick labels 45° (true) or set them straight (false); left as drawn when absent. */
  rotateX?: boolean;
}

/**
 * The frame of a chart with x and y axes: a series legend at the top, then the plot area with
 * its grid, bottom and left axes and their titles, and on top a pointer overlay. Charts add
 * their marks with `layer`, below the overlay.
 */
export interface PlotFrame extends ChartFrame {
  /** The plot area's group, placed by `place`. */
  readonly plot: G;
  readonly xAxis: G;
  readonly yAxis: G;
  /** Transparent rect over the plot area that takes the pointer (left out of exports). */
  readonly overlay: SVGRectElement;
  /** Where `place` last put the plot area. */
  readonly layout: PlotLayout;
  /** Appends an element of the chart's own to the plot area, under the overlay. */
  layer<K extends keyof ElementTagNameMap>(
    tag: K,
  ): Selection<ElementTagNameMap[K], unknown, null, undefined>;
  /** Draws the series legend across a figure `width` wide; returns its height. */
  drawLegend(items: LegendItem[], width: number): number;
  /** The width of the plot area in a figure `width` wide. */
  plotWidth(width: number): number;
  /** Sizes the figure and places the plot area with `top` and `bottom` margins. */
  place(width: number, height: number, top: number, bottom: number): PlotLayout;
  /** Draws the grid, the axes and their titles around the placed plot area. */
  drawAxes(axes: PlotAxes): void;
}

/** Builds a plot frame in `container`; `kind` names the chart in class names, as `createFrame`. */
export function createPlotFrame(container: HTMLElement, kind: string, caption: string): PlotFrame {
  const frame = createFrame(container, kind, caption, true);
  const svg = frame.svg;
  const legend = svg.append('g').attr('class', 'strata-legend').attr('transform', 'translate(8,6)');
  const plot = svg.append('g');
  const grid = plot.append('g').attr('class', 'strata-grid');
  const xAxis = plot.append('g').attr('class', 'strata-x-axis');
  const yAxis = plot.append('g').attr('class', 'strata-y-axis');
  const xTitle = svg.append('g').attr('class', 'strata-x-title');
  const yTitle = svg.append('g').attr('class', 'strata-y-title');
  const overlay = appendOverlay(plot);
  // One object, updated in place, so that `frame.layout` always reads the last placement.
  const layout: PlotLayout = { width: 0, height: 0, left: LEFT, top: 0, plotW: 0, plotH: 0 };
  const plotWidth = (width: number) => Math.max(40, width - LEFT - RIGHT);

  return Object.assign(frame, {
    plot,
    xAxis,
    yAxis,
    overlay,
    layout,
    layer<K extends keyof ElementTagNameMap>(tag: K) {
      return plot.insert(tag, () => overlay);
    },
    drawLegend: (items: LegendItem[], width: number) => drawSeriesLegend(legend, items, width - 16),
    plotWidth,
    place(width: number, height: number, top: number, bottom: number) {
      const plotW = plotWidth(width);
      const plotH = Math.max(40, height - top - bottom);
      Object.assign(layout, { width, height, top, plotW, plotH });
      frame.setSize(width, height);
      plot.attr('transform', `translate(${LEFT},${top})`);
      overlay.setAttribute('width', String(plotW));
      overlay.setAttribute('height', String(plotH));
      return layout;
    },
    drawAxes(axes: PlotAxes) {
      const { height, left, top, plotW, plotH } = layout;
      drawGridLines(grid, axes.grid, plotW);
      yAxis.call(axes.y);
      xAxis.attr('transform', `translate(0,${plotH})`).call(axes.x);
      [xAxis, yAxis].forEach(styleAxis);
      if (axes.rotateX !== undefined) turnTickLabels(xAxis, axes.rotateX);
      drawAxisTitle(yTitle, axes.yTitle, 14, top + plotH / 2, true);
      drawAxisTitle(xTitle, axes.xTitle, left + plotW / 2, height - 6, false);
    },
  });
}
