import { saturationFromPredictions } from '../metrics/perLayer';
import { exitHistogram, type ExitTradeoff } from './tradeoff';
import { toScores, type ExitInput } from './scores';

/** Accuracy of two trade-off curves read at one mean exit layer. */
export interface EqualExitAccuracy {
  meanExitLayer: number;
  /** Curve a's accuracy there, or null outside the range of its mean exit layers. */
  a: number | null;
  b: number | null;
  /** a − b, or null when either is null. */
  difference: number | null;
}

/**
 * The curve as (meanExitLayer, accuracy) pairs sorted by meanExitLayer; points that share a
 * mean exit layer keep the best accuracy reached there.
 */
function curveOf(tradeoff: ExitTradeoff): { x: number[]; y: number[] } {
  const sorted = [...tradeoff.points].sort((p, q) => p.meanExitLayer - q.meanExitLayer);
  const x: number[] = [];
  const y: number[] = [];
  for (const p of sorted) {
    if (x.length > 0 && x[x.length - 1] === p.meanExitLayer) {
      y[y.length - 1] = Math.max(y[y.length - 1], p.accuracy);
    } else {
      x.push(p.meanExitLayer);
      y.push(p.accuracy);
    }
  }
  return { x, y };
}

/** Piecewise-linear interpolation of (x, y) at t; null outside [x_0, x_last]. */
function interpolate(x: number[], y: number[], t: number): number | null {
  if (x.length === 0 || t < x[0] || t > x[x.length - 1]) return null;
  let k = 0;
  while (x[k] < t) k++; // x[k] ≥ t, and x[k − 1] < t when k > 0
  if (x[k] === t || k === 0) return y[k];
  const w = (t - x[k - 1]) / (x[k] - x[k - 1]);
  return y[k - 1] + w * (y[k] - y[k - 1]);
}

/**
 * Accuracy of two trade-off curves at the same mean exit layers, each curve linearly
 * interpolated between its swept points (sorted by mean exit layer). Used for claim 4 of
 * Jiang, Zhou & Zhu (arXiv 2406.14479): at equal mean exit layer, the single shared classifier is
 * on par with one head per layer (`difference` within ±0.01 is one point).
 */
export function accuracyAtEqualExit(
  a: ExitTradeoff,
  b: ExitTradeoff,
  meanExitLayers: number[],
): EqualExitAccuracy[] {
  const bad = meanExitLayers.findIndex((t) => !Number.isFinite(t));
  if (bad >= 0) {
    throw new Error(
      `accuracy at equal exit: meanExitLayers[${bad}] is ${meanExitLayers[bad]}, expected a number`,
    );
  }
  const ca = curveOf(a);
  const cb = curveOf(b);
  return meanExitLayers.map((t) => {
    const va = interpolate(ca.x, ca.y, t);
    const vb = interpolate(cb.x, cb.y, t);
    return {
      meanExitLayer: t,
      a: va,
      b: vb,
      difference: va === null || vb === null ? null : va - vb,
    };
  });
}

/**
 * Saturation layer of each sample (docs/design.md §3), 1-based: the first layer s from which the
 * top-1 prediction never changes, top1_s = top1_{s+1} = … = top1_L. A sample that never changes
 * its mind gets 1; one that changes at the last layer gets L. Reuses the metrics' definition
 * (`saturationFromPredictions`, 0-based indices into the list) and shifts it to layer numbers.
 *
 * @param input logits (one row-major [N, C] array per layer 1..L) with `classes` = C, or scores.
 */
export function saturationLayers(input: ExitInput, classes?: number): Int32Array {
  const zeroBased = saturationFromPredictions(toScores(input, classes, 'saturation layers').top1);
  return zeroBased.map((s) => s + 1);
}

/** Number of samples whose saturation layer is l, for l = 1..L (index 0 = layer 1). */
export function saturationHistogram(input: ExitInput, classes?: number): number[] {
  const scores = toScores(input, classes, 'saturation histogram');
  return exitHistogram(saturationLayers(scores), scores.layers, 'saturation layer');
}
