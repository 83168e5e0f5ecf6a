// Plain chart data for the Early exit panel.
import type { HistogramData } from '../../charts/histogram';
import type { CurrentPoint, TradeoffData } from '../../charts/tradeoffChart';
import type { ExitReadout, ExitResult } from '../../engine/apiTypes';

/** The legend name of an exit method (the captions name the models). */
export function exitMethodName(result: ExitResult): string {
  return result.classifier === 'shared' ? 'single classifier' : 'multi-head';
}

/** Accuracy against mean exit layer for each method's threshold sweep. */
export function tradeoffChart(results: readonly (ExitResult | null)[]): TradeoffData | null {
  const usable = results.filter((r): r is ExitResult => r !== null);
  if (usable.length === 0) return null;
  return {
    layers: usable[0].tradeoff.layers,
    series: usable
      .filter((r) => r.tradeoff.layers === usable[0].tradeoff.layers)
      .map((r, i) => ({
        name: exitMethodName(r),
        dashed: i > 0,
        points: r.tradeoff.points.map((p) => ({
          meanExitLayer: p.meanExitLayer,
          accuracy: p.accuracy,
          threshold: p.threshold,
        })),
      })),
  };
}

/** The slider's operating point on the first method's curve. */
export function currentExitPoint(
  result: ExitResult | null,
  readout: ExitReadout | null,
): CurrentPoint {
  if (!result || !readout) return null;
  return {
    series: exitMethodName(result),
    x: readout.point.meanExitLayer,
    y: readout.point.accuracy,
  };
}

/** Samples exiting at each layer 1..L, per method. */
export function exitHistogram(
  entries: readonly { result: ExitResult | null; readout: ExitReadout | null }[],
): HistogramData | null {
  const usable = entries.filter(
    (e): e is { result: ExitResult; readout: ExitReadout } =>
      e.result !== null && e.readout !== null,
  );
  if (usable.length === 0) return null;
  const L = usable[0].readout.histogram.length;
  return {
    labels: Array.from({ length: L }, (_, i) => `layer_${i + 1}`),
    series: usable
      .filter((e) => e.readout.histogram.length === L)
      .map((e) => ({ name: exitMethodName(e.result), counts: e.readout.histogram })),
  };
}

/** Slider bounds of a rule for a model of L layers and C classes. */
export function thresholdRange(
  rule: ExitResult['tradeoff']['rule'],
  layers: number,
  classes: number,
): { min: number; max: number; step: number } {
  if (rule === 'confidence') return { min: 0.5, max: 1, step: 0.005 };
  if (rule === 'entropy') {
    const max = Math.log(Math.max(classes, 2));
    return { min: 0, max: Number(max.toFixed(3)), step: Number((max / 200).toFixed(4)) };
  }
  return { min: 0, max: Math.max(layers, 1), step: 1 };
}
