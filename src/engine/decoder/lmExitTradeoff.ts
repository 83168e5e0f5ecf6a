// The trade-off of an early-exit rule on a language model, teacher-forced: next-token accuracy and
// perplexity at the exit layer against the mean exit layer, over a threshold sweep.
import {
  byStrictness,
  checkRule,
  checkThreshold,
  exitLayerOf,
  type ExitRule,
} from '../exits/rules';
import { defaultThresholds } from '../exits/tradeoff';
import type { LmExitScores } from './lmExitScores';

export interface LmExitPoint {
  /** τ (confidence, entropy) or k (patience). */
  threshold: number;
  /** Fraction of positions whose top-1 at their exit layer is the next token. */
  accuracy: number;
  /** exp of the mean cross-entropy of the next token under the exit layer's distribution. */
  perplexity: number;
  /** Mean 1-based exit layer over positions, in [1, L]. */
  meanExitLayer: number;
  /** L / meanExitLayer. */
  speedup: number;
}

export interface LmExitTradeoff {
  rule: ExitRule;
  /** L. */
  layers: number;
  /** Positions scored. */
  tokens: number;
  /** From the most permissive threshold to the strictest. */
  points: LmExitPoint[];
  /** Accuracy and perplexity of every position read at layer l = 1..L (index 0 = layer 1). */
  perLayer: { accuracy: number[]; perplexity: number[] };
}

function pointOf(s: LmExitScores, rule: ExitRule, threshold: number): LmExitPoint {
  let hits = 0;
  let nll = 0;
  let layerSum = 0;
  for (let i = 0; i < s.samples; i++) {
    const e = exitLayerOf(s, rule, threshold, i);
    if (s.top1[e - 1][i] === s.next[i]) hits++;
    nll += s.nll[e - 1][i];
    layerSum += e;
  }
  const meanExitLayer = layerSum / s.samples;
  return {
    threshold,
    accuracy: hits / s.samples,
    perplexity: Math.exp(nll / s.samples),
    meanExitLayer,
    speedup: s.layers / meanExitLayer,
  };
}

/**
 * Sweeps `rule` over `thresholds` (default: the classifier sweep of ../exits/tradeoff.ts with
 * C = the vocabulary size), every threshold sharing the per-layer scores.
 */
export function lmExitTradeoff(
  scores: LmExitScores,
  rule: ExitRule,
  thresholds?: number[],
): LmExitTradeoff {
  const where = `LM ${rule} exit trade-off`;
  checkRule(rule, where);
  const given = thresholds ?? defaultThresholds(rule, scores.layers, scores.classes);
  if (given.length === 0) throw new Error(`${where}: no thresholds given, expected at least one`);
  given.forEach((t) => checkThreshold(rule, t, where));
  const sorted = [...new Set(given)].sort(byStrictness(rule));
  const perLayer = { accuracy: [] as number[], perplexity: [] as number[] };
  for (let l = 0; l < scores.layers; l++) {
    let hits = 0;
    let nll = 0;
    for (let i = 0; i < scores.samples; i++) {
      if (scores.top1[l][i] === scores.next[i]) hits++;
      nll += scores.nll[l][i];
    }
    perLayer.accuracy.push(hits / scores.samples);
    perLayer.perplexity.push(Math.exp(nll / scores.samples));
  }
  return {
    rule,
    layers: scores.layers,
    tokens: scores.samples,
    points: sorted.map((t) => pointOf(scores, rule, t)),
    perLayer,
  };
}
