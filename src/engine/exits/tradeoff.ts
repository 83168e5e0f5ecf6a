import { byStrictness, checkRule, checkThreshold, exitLayerOf, type ExitRule } from './rules';
import { scoresWithLabels, type ExitInput, type ExitScores } from './scores';

/** One operating point of an early-exit rule, averaged over the N samples. */
export interface ExitPoint {
  /** τ (confidence, entropy) or k (patience). */
  threshold: number;
  /** Fraction of samples whose top-1 at their exit layer equals the label. */
  accuracy: number;
  /** Mean over samples of the 1-based exit layer, in [1, L]. */
  meanExitLayer: number;
  /** L / meanExitLayer. */
  speedup: number;
  /**
   * Mean per-sample cost, Σ_{l ≤ exit} flopsPerLayer[l] + headFlops · exit (one head evaluation
   * per layer visited, the exit layer included); null when `flopsPerLayer` was not given.
   */
  flops: number | null;
}

/** A threshold sweep of one rule: the trade-off curve of accuracy against mean exit layer. */
export interface ExitTradeoff {
  rule: ExitRule;
  /** L. */
  layers: number;
  /** N. */
  samples: number;
  /** From the most permissive threshold to the strictest: non-decreasing meanExitLayer. */
  points: ExitPoint[];
  /** Accuracy of the exit classifier at each layer 1..L (index 0 = layer 1), fractions. */
  perLayerAccuracy: number[];
}

/** Cost model for {@link ExitPoint.flops}. */
export interface ExitCost {
  /** FLOPs per sample of block l, for l = 1..L (index 0 = block 1). */
  flopsPerLayer?: number[];
  /** FLOPs per sample of one exit-classifier evaluation. Default 0. */
  headFlops?: number;
}

export interface TradeoffOptions extends ExitCost {
  /** Thresholds to sweep; default {@link defaultThresholds}. Sorted and deduplicated. */
  thresholds?: number[];
}

const CONFIDENCE_GRID = [
  0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.825, 0.85, 0.875, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96,
  0.97, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9999, 1,
];
const ENTROPY_STEPS = 24;

/**
 * Default sweep of a rule, strictness order: confidence 0.5 … 0.9999 and 1 (25 values; τ = 1
 * exits early only where the float64 softmax rounds to exactly 1); entropy ln C · (j/24)² for
 * j = 24 … 0 (25 values, denser near 0 where the confident exits are; τ = ln C exits everyone at
 * layer 1, τ = 0 almost no one early); patience k = 1 … L (k = L never exits early).
 */
export function defaultThresholds(rule: ExitRule, layers: number, classes: number): number[] {
  if (rule === 'confidence') return [...CONFIDENCE_GRID];
  if (rule === 'entropy') {
    const logC = Math.log(classes);
    return Array.from({ length: ENTROPY_STEPS + 1 }, (_, j) => {
      const f = (ENTROPY_STEPS - j) / ENTROPY_STEPS;
      return logC * f * f;
    });
  }
  return Array.from({ length: layers }, (_, k) => k + 1);
}

/** Per layer, whether each sample's top-1 equals its label ([N] each). */
function correctness(scores: ExitScores, labels: Int32Array): Uint8Array[] {
  return scores.top1.map((t) => {
    const ok = new Uint8Array(t.length);
    for (let i = 0; i < t.length; i++) ok[i] = t[i] === labels[i] ? 1 : 0;
    return ok;
  });
}

/** prefix[l] = Σ_{m ≤ l} flopsPerLayer[m] + headFlops · l, for l = 0..L; null without a cost. */
function cumulativeCost(cost: ExitCost, layers: number, where: string): Float64Array | null {
  const { flopsPerLayer, headFlops = 0 } = cost;
  if (!(Number.isFinite(headFlops) && headFlops >= 0)) {
    throw new Error(`${where}: headFlops ${headFlops}, expected a finite number ≥ 0`);
  }
  if (flopsPerLayer === undefined) return null;
  if (flopsPerLayer.length !== layers) {
    throw new Error(
      `${where}: flopsPerLayer has ${flopsPerLayer.length} entries, expected one per layer (${layers})`,
    );
  }
  const prefix = new Float64Array(layers + 1);
  flopsPerLayer.forEach((f, l) => {
    if (!(Number.isFinite(f) && f >= 0)) {
      throw new Error(`${where}: flopsPerLayer[${l}] is ${f}, expected a finite number ≥ 0`);
    }
    prefix[l + 1] = prefix[l] + f + headFlops;
  });
  return prefix;
}

/** One point and the exit layers behind it; inputs already validated. */
function pointOf(
  scores: ExitScores,
  correct: Uint8Array[],
  rule: ExitRule,
  threshold: number,
  prefix: Float64Array | null,
): { point: ExitPoint; exits: Int32Array } {
  const n = scores.samples;
  const exits = new Int32Array(n);
  let hits = 0;
  let layerSum = 0;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const e = exitLayerOf(scores, rule, threshold, i);
    exits[i] = e;
    hits += correct[e - 1][i];
    layerSum += e;
    if (prefix) cost += prefix[e];
  }
  const meanExitLayer = layerSum / n;
  const point: ExitPoint = {
    threshold,
    accuracy: hits / n,
    meanExitLayer,
    speedup: scores.layers / meanExitLayer,
    flops: prefix ? cost / n : null,
  };
  return { point, exits };
}

/**
 * Number of samples exiting at each layer 1..L (index 0 = layer 1).
 *
 * @param exits 1-based exit layers, one per sample.
 * @param layers L.
 */
export function exitHistogram(exits: Int32Array, layers: number, what = 'exit layer'): number[] {
  if (!(Number.isInteger(layers) && layers >= 1)) {
    throw new Error(`${what} histogram: ${layers} layers, expected an integer ≥ 1`);
  }
  const counts = new Array<number>(layers).fill(0);
  for (let i = 0; i < exits.length; i++) {
    const e = exits[i];
    if (!(e >= 1 && e <= layers)) {
      throw new Error(`${what} histogram: sample ${i} has ${what} ${e}, expected 1..${layers}`);
    }
    counts[e - 1]++;
  }
  return counts;
}

/**
 * Trade-off curve of an early-exit rule (docs/design.md §3): per threshold, the accuracy at the
 * exit layer, the mean exit layer, speed-up = L / mean exit layer and mean FLOPs. Softmax,
 * entropy and top-1 are computed once per (layer, sample) and shared by every threshold.
 *
 * @param input logits (one row-major [N, C] array per layer 1..L, C inferred as values / N) or
 *   scores from `exitScores` (reuse them across calls).
 * @param labels class index of each sample, [N].
 */
export function exitTradeoff(
  input: ExitInput,
  labels: Int32Array,
  rule: ExitRule,
  options: TradeoffOptions = {},
): ExitTradeoff {
  const where = `${rule} exit trade-off`;
  checkRule(rule, where);
  const scores = scoresWithLabels(input, labels, where);
  const prefix = cumulativeCost(options, scores.layers, where);
  const given = options.thresholds ?? defaultThresholds(rule, scores.layers, scores.classes);
  if (given.length === 0) throw new Error(`${where}: no thresholds given, expected at least one`);
  given.forEach((t) => checkThreshold(rule, t, where));
  const thresholds = [...new Set(given)].sort(byStrictness(rule));
  const correct = correctness(scores, labels);
  return {
    rule,
    layers: scores.layers,
    samples: scores.samples,
    points: thresholds.map((t) => pointOf(scores, correct, rule, t, prefix).point),
    perLayerAccuracy: correct.map((ok) => ok.reduce((s, v) => s + v, 0) / scores.samples),
  };
}

/**
 * The exact operating point at any threshold (a slider value, not only a grid point), with the
 * exit layer of every sample and their histogram over layers 1..L.
 */
export function evaluateExit(
  input: ExitInput,
  labels: Int32Array,
  rule: ExitRule,
  threshold: number,
  cost: ExitCost = {},
): { point: ExitPoint; exits: Int32Array; histogram: number[] } {
  const where = `${rule} exit at ${threshold}`;
  checkThreshold(rule, threshold, where);
  const scores = scoresWithLabels(input, labels, where);
  const prefix = cumulativeCost(cost, scores.layers, where);
  const { point, exits } = pointOf(scores, correctness(scores, labels), rule, threshold, prefix);
  return { point, exits, histogram: exitHistogram(exits, scores.layers) };
}

/**
 * The swept point whose threshold is nearest to `threshold` (a slider snapping to the grid; the
 * point's own `threshold` says which one it is; on a tie the more permissive one). For the exact
 * value at an arbitrary threshold use {@link evaluateExit}.
 */
export function pointAt(tradeoff: ExitTradeoff, threshold: number): ExitPoint {
  if (tradeoff.points.length === 0) throw new Error('pointAt: the trade-off has no points');
  if (!Number.isFinite(threshold)) {
    throw new Error(`pointAt: threshold ${threshold}, expected a finite number`);
  }
  let best = tradeoff.points[0];
  for (const p of tradeoff.points) {
    if (Math.abs(p.threshold - threshold) < Math.abs(best.threshold - threshold)) best = p;
  }
  return best;
}
