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
