import {
  color as parseColor,
  interpolateBrBG,
  interpolateRdBu,
  interpolateViridis,
  scaleDiverging,
  scaleSequential,
  schemeTableau10,
} from 'd3';

/** The three colour scales a heatmap can use. */
export type HeatmapScale = 'diverging' | 'sequential' | 'difference';

/** A named colour scheme with a fixed domain, so the same value has the same colour in every picture. */
export interface HeatmapScheme {
  /** Human name of the scheme, shown nowhere but useful in docs and tests. */
  name: string;
  /** What the scale is for. */
  use: string;
  /** Maps t ∈ [0, 1] to a colour; t = 0 is the low end, t = 1 the top colour. */
  interpolator: (t: number) => string;
  /** The fixed domain [low, mid, high] (mid only for diverging scales); `d` is the difference extent. */
  domain: (d: number) => [number, number] | [number, number, number];
}

/**
 * The one table of heatmap colour schemes (observablehq/plot habit: named schemes, fixed domains).
 * Cosine similarity lies in [-1, 1]; CKA in [0, 1] (debiased CKA can dip below 0 and is clamped);
 * a difference map A − B lies in [-d, d] for a `d` the caller fixes.
 */
export const heatmapSchemes: Readonly<Record<HeatmapScale, HeatmapScheme>> = {
  diverging: {
    name: 'RdBu reversed (red = +1)',
    use: 'cosine similarity',
    interpolator: (t) => interpolateRdBu(1 - t),
    domain: () => [-1, 0, 1],
  },
  sequential: {
    name: 'viridis',
    use: 'CKA',
    interpolator: interpolateViridis,
    domain: () => [0, 1],
  },
  difference: {
    name: 'BrBG (teal = A above B)',
    use: 'difference between two checkpoints',
    interpolator: interpolateBrBG,
    domain: (d) => [-d, 0, d],
  },
};

/** Categorical colours for series (checkpoints, methods), in order of appearance. */
export const seriesPalette: readonly string[] = schemeTableau10;

/** Fill and hatch colours of a cell whose value is undefined (null or not finite). */
export const undefinedCell = { fill: '#d5d9e0', hatch: '#8a93a3' } as const;

/** Ink colours shared by every chart (match the app's CSS variables). */
export const ink = {
  text: '#1d2330',
  muted: '#5b6474',
  grid: '#e3e7ee',
  axis: '#8a93a3',
  focus: '#1d2330',
  background: '#ffffff',
} as const;

/**
 * A value → colour function for a heatmap scale, clamped to the scheme's fixed domain and
 * returning hex strings (`#rrggbb`) so SVG and canvas cells agree exactly.
 */
export function heatmapColor(scale: HeatmapScale, differenceExtent = 1): (value: number) => string {
  const scheme = heatmapSchemes[scale];
  const domain = scheme.domain(differenceExtent);
  const s =
    domain.length === 3
      ? scaleDiverging(scheme.interpolator).domain(domain).clamp(true)
      : scaleSequential(scheme.interpolator).domain(domain).clamp(true);
  return (value) => toHex(s(value));
}

/**
 * The colour of series `index`: the caller's colour when it parses as a CSS colour, otherwise the
 * palette's. Normalised to hex so a user string never reaches an attribute unparsed.
 */
export function seriesColor(index: number, requested?: string): string {
  const parsed = requested === undefined ? null : parseColor(requested);
  if (parsed) return parsed.formatHex();
  return seriesPalette[index % seriesPalette.length];
}

/** Dark or light text, whichever reads better on `background`. */
export function textColorOn(background: string): string {
  const c = parseColor(background)?.rgb();
  if (!c) return ink.text;
  // Relative luminance (ITU-R BT.709 weights on sRGB, linearised roughly by squaring).
  const l = 0.2126 * (c.r / 255) ** 2.2 + 0.7152 * (c.g / 255) ** 2.2 + 0.0722 * (c.b / 255) ** 2.2;
  return l > 0.25 ? ink.text : '#ffffff';
}

function toHex(c: string): string {
  return parseColor(c)?.formatHex() ?? undefinedCell.fill;
}
