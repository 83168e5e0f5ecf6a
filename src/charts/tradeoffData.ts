import { formatPercent, formatShort, formatSpeedup } from './text';

/** One threshold of the sweep: accuracy against the mean layer samples exit at. */
export interface TradeoffPoint {
  meanExitLayer: number;
  accuracy: number;
  /** The rule's threshold τ (or patience k) that gave this point. */
  threshold?: number;
  /** A language model's next-token perplexity at the exit layers (the `perplexity` measure). */
  perplexity?: number;
}

/** What the y axis shows: accuracy (a share, drawn as %) or a language model's perplexity. */
export type TradeoffMeasure = 'accuracy' | 'perplexity';

/** A point's value on the y axis of `measure` (NaN when the point has none). */
export function measureOf(p: TradeoffPoint, measure: TradeoffMeasure): number {
  return measure === 'perplexity' ? (p.perplexity ?? Number.NaN) : p.accuracy;
}

/** A value of `measure` in words: "84.1%" or "perplexity 84.12". */
export function formatMeasure(v: number, measure: TradeoffMeasure): string {
  return measure === 'perplexity' ? `perplexity ${formatShort(v)}` : formatPercent(v);
}

export interface TradeoffSeries {
  /** The method, e.g. "single classifier" or "multi-head". */
  name: string;
  points: TradeoffPoint[];
  color?: string;
  dashed?: boolean;
}

export interface TradeoffData {
  /** L, the number of blocks: the x domain is [1, L] and speed-up = L / mean exit layer. */
  layers: number;
  series: TradeoffSeries[];
}

/** A point index in the first series, a point of a named series, or free coordinates. */
export type CurrentPoint =
  number | { series: string; index: number } | { series?: string; x: number; y: number } | null;

const NICE_SPEEDUPS = [1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64, 96, 128];

/**
 * Speed-ups (L / mean exit layer) to label on the top axis: round values in [1, L] whose
 * positions `x(L / s)` lie at least `minGap` pixels apart, starting from the fastest.
 */
export function speedupTicks(
  layers: number,
  x: (layer: number) => number,
  minGap: number,
): number[] {
  const ticks: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const s of NICE_SPEEDUPS.filter((v) => v <= layers).reverse()) {
    const px = x(layers / s);
    if (px - last >= minGap) {
      ticks.push(s);
      last = px;
    }
  }
  return ticks;
}

/**
 * The accuracy axis fitted to the points: their range padded by a tenth of it (at least one
 * point), rounded out to 5 % steps (10 % when it spans more than 30 %) and kept within [0, 1].
 * Curves that all lie between 92 and 98 % then fill the plot instead of its top twentieth.
 * [0, 1] when there are no points.
 */
export function accuracyDomain(data: TradeoffData): [number, number] {
  const acc = data.series.flatMap((s) => s.points.map((p) => p.accuracy));
  if (acc.length === 0) return [0, 1];
  const [lo, hi] = [Math.min(...acc), Math.max(...acc)];
  const pad = Math.max(0.01, (hi - lo) * 0.1);
  const step = hi - lo + 2 * pad > 0.3 ? 0.1 : 0.05;
  // Rounded to a thousandth first, so that 0.95 / 0.05 landing on 18.999… stays 19.
  const snap = (v: number) => Math.round(v * 1000) / 1000;
  const d0 = Math.max(0, snap(Math.floor(snap((lo - pad) / step)) * step));
  const d1 = Math.min(1, snap(Math.ceil(snap((hi + pad) / step)) * step));
  return [d0, d1];
}

/**
 * The perplexity axis fitted to the points: their range padded by a tenth of it (at least 1),
 * kept at or above 1, the least perplexity there is. [1, 2] when there are no points.
 */
export function perplexityDomain(data: TradeoffData): [number, number] {
  const v = data.series.flatMap((s) => s.points.map((p) => measureOf(p, 'perplexity')));
  if (v.length === 0) return [1, 2];
  const [lo, hi] = [Math.min(...v), Math.max(...v)];
  const pad = Math.max(1, (hi - lo) * 0.1);
  return [Math.max(1, Math.floor(lo - pad)), Math.ceil(hi + pad)];
}

/** "accuracy axis 90–100 %", for captions: a fitted axis must say so. */
export function describeAccuracyDomain([lo, hi]: [number, number]): string {
  return `accuracy axis ${Math.round(lo * 100)}–${Math.round(hi * 100)} %`;
}

/**
 * Checks a trade-off's data: a positive integer L and finite points with exit layers in [1, L]
 * (and a finite perplexity each for the `perplexity` measure).
 */
export function validateTradeoffData(
  data: TradeoffData,
  where: string,
  measure: TradeoffMeasure = 'accuracy',
): void {
  if (!data || !Array.isArray(data.series)) {
    throw new Error(`${where}: expected { layers: number, series: { name, points }[] }`);
  }
  if (!(Number.isInteger(data.layers) && data.layers >= 1)) {
    throw new Error(`${where}: layers is ${String(data.layers)}, expected a positive integer (L)`);
  }
  data.series.forEach((s, i) => {
    if (typeof s?.name !== 'string' || !Array.isArray(s.points)) {
      throw new Error(`${where}: series[${i}] must be { name: string, points: TradeoffPoint[] }`);
    }
    s.points.forEach((p, j) => {
      if (!Number.isFinite(p?.meanExitLayer) || !Number.isFinite(p?.accuracy)) {
        throw new Error(
          `${where}: series "${s.name}" point ${j} is ${JSON.stringify(p)}, expected finite meanExitLayer and accuracy`,
        );
      }
      if (measure === 'perplexity' && !Number.isFinite(p.perplexity)) {
        throw new Error(
          `${where}: series "${s.name}" point ${j} has perplexity ${String(p.perplexity)}, expected a finite number`,
        );
      }
      if (p.meanExitLayer < 1 - 1e-9 || p.meanExitLayer > data.layers + 1e-9) {
        throw new Error(
          `${where}: series "${s.name}" point ${j} has mean exit layer ${p.meanExitLayer}, expected a value in [1, ${data.layers}]`,
        );
      }
    });
  });
}

/**
 * The accessible summary: "Early-exit trade-off over 12 layers, 2 methods: single classifier
 * 9 points, accuracy 80.0% to 97.0%, speed-up 1× to 4.2×; …; current: …".
 */
export function summarizeTradeoff(
  data: TradeoffData,
  current: { s: number; p: TradeoffPoint } | null,
  measure: TradeoffMeasure = 'accuracy',
): string {
  const fmt = measure === 'perplexity' ? formatShort : formatPercent;
  const parts = data.series.map((s) => {
    if (s.points.length === 0) return `${s.name} no points`;
    const acc = s.points.map((p) => measureOf(p, measure));
    const sp = s.points.map((p) => data.layers / p.meanExitLayer);
    return `${s.name} ${s.points.length} points, ${measure} ${fmt(Math.min(...acc))} to ${fmt(Math.max(...acc))}, speed-up ${formatSpeedup(Math.min(...sp))}× to ${formatSpeedup(Math.max(...sp))}×`;
  });
  if (current) {
    parts.push(
      `current: ${data.series[current.s]?.name ?? ''} ${formatMeasure(measureOf(current.p, measure), measure)} at mean exit layer ${formatShort(current.p.meanExitLayer)}`,
    );
  }
  return `Early-exit trade-off over ${data.layers} layers, ${data.series.length} methods${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

/**
 * The point `current` designates: a number is an index in the first series; `{series, index}`
 * a point of a named series; `{series?, x, y}` free coordinates drawn in that series' colour.
 * Null when it designates nothing that exists.
 */
export function resolveCurrentPoint(
  data: TradeoffData,
  current: CurrentPoint,
): { s: number; p: TradeoffPoint } | null {
  if (current === null) return null;
  if (typeof current === 'number') {
    const p = data.series[0]?.points[current];
    return p ? { s: 0, p } : null;
  }
  const s = Math.max(
    0,
    data.series.findIndex((t) => t.name === current.series),
  );
  if ('index' in current) {
    const p = data.series[s]?.points[current.index];
    return p ? { s, p } : null;
  }
  return { s, p: { meanExitLayer: current.x, accuracy: current.y } };
}
