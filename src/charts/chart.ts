import type { ChartFrame } from './figure';

/**
 * The contract every Strata chart keeps (see README.md): a chart is a closure over its options,
 * built by `createX(container, options)`, fed plain data through `update`, and exported through
 * `toSvg` and `data`. The app mounts every chart through one React adaptor that relies only on
 * this interface.
 */
export interface Chart<D> {
  /** Draws `data`, replacing what was drawn before. Validates it and throws on a malformed input. */
  update(data: D): void;
  /** Re-lays the chart out at a new size in CSS pixels; `height` defaults to one fitted to `width`. */
  resize(width: number, height?: number): void;
  /** Replaces the figcaption (set as text, never as markup). */
  setCaption(text: string): void;
  /** Removes every element and listener the chart added; later calls are no-ops. */
  destroy(): void;
  /** A self-contained SVG document (styles inlined, caption included, canvas cells as rects). */
  toSvg(): string;
  /** The plain data last drawn, for CSV/JSON export. */
  data(): D;
}

/** Options every chart takes. */
export interface BaseChartOptions {
  /** The figcaption: what the chart shows (metric, pooling, model, dataset, N). */
  caption: string;
  /** Width in CSS pixels (default depends on the chart). */
  width?: number;
  /** Height in CSS pixels (default fitted to the width). */
  height?: number;
}

/** What every chart keeps between draws: the data last drawn and the size asked for. */
export interface ChartState<D> {
  data: D;
  width: number;
  /** Fixed height in CSS pixels; undefined fits the height to the width. */
  height: number | undefined;
}

/** The state a chart starts from: no data yet, at the size its options ask for. */
export function initialState<D>(
  empty: D,
  options: BaseChartOptions,
  defaultWidth: number,
): ChartState<D> {
  return { data: empty, width: options.width ?? defaultWidth, height: options.height };
}

/**
 * The Chart methods that are the same in every chart, around its own `draw`: `update` hands the
 * data to `accept` (which validates it, throwing on a malformed input, and resets whatever hung
 * on the old data), stores it and draws; `resize` stores the size and draws. Neither does
 * anything once the chart is destroyed. Caption, destroy and export go to the frame.
 */
export function chartMethods<D>(
  frame: ChartFrame,
  state: ChartState<D>,
  accept: (data: D) => void,
  draw: () => void,
): Chart<D> {
  return {
    update(data) {
      if (frame.destroyed) return;
      accept(data);
      state.data = data;
      draw();
    },
    resize(width, height) {
      if (frame.destroyed) return;
      state.width = width;
      state.height = height;
      draw();
    },
    setCaption: (text) => frame.setCaption(text),
    destroy: () => frame.destroy(),
    toSvg: () => frame.exportSvg(),
    data: () => state.data,
  };
}
