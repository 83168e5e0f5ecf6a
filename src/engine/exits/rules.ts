import { toScores, type ExitInput, type ExitScores } from './scores';

/**
 * Early-exit rules (docs/design.md §3): a sample walks layers 1..L, exits at the first layer where
 * its rule holds; if it never holds, the sample exits at layer L.
 * - `confidence`: max_c softmax(z)_c ≥ τ (Kaya et al. 2019, Shallow-Deep Networks; Schwartz et
 *   al. 2020, "The Right Tool for the Job");
 * - `entropy`: −Σ_c p_c ln p_c ≤ τ, in nats (Teerapittayanon et al. 2016, BranchyNet; Xin et al.
 *   2020, DeeBERT);
 * - `patience`: the top-1 has stayed the same for k consecutive layers (PABEE, Zhou et al. 2020,
 *   "BERT Loses Patience"): exit at the first layer l with top1_l = top1_{l−1} = … = top1_{l−k}.
 *   Counting starts at layer 1 with a count of 0, so with k = 1 a sample exits at the first layer
 *   whose top-1 equals the previous layer's (layer 2 at the earliest), k = 0 exits at layer 1, and
 *   k ≥ L never holds (exit at L).
 */
export type ExitRule = 'confidence' | 'entropy' | 'patience';

export const EXIT_RULES: readonly ExitRule[] = ['confidence', 'entropy', 'patience'];

/** Throws unless `rule` is one of {@link EXIT_RULES} (it may come from a URL or a CLI flag). */
export function checkRule(rule: ExitRule, where: string): void {
  if (!EXIT_RULES.includes(rule)) {
    throw new Error(`${where}: rule '${rule}', expected one of ${EXIT_RULES.join(', ')}`);
  }
}

/** Throws unless `rule` is a rule and `threshold` a valid threshold for it. */
export function checkThreshold(rule: ExitRule, threshold: number, where: string): void {
  checkRule(rule, where);
  if (!Number.isFinite(threshold)) {
    throw new Error(`${where}: ${rule} threshold ${threshold}, expected a finite number`);
  }
  if (rule === 'patience' && !(Number.isInteger(threshold) && threshold >= 0)) {
    throw new Error(`${where}: patience ${threshold}, expected a whole number of layers k ≥ 0`);
  }
}

/**
 * Orders thresholds from the most permissive (earliest exits) to the strictest, which is also
 * non-decreasing mean exit layer: confidence and patience ascending, entropy descending.
 */
export function byStrictness(rule: ExitRule): (a: number, b: number) => number {
  return rule === 'entropy' ? (a, b) => b - a : (a, b) => a - b;
}

/**
 * Exit layer (1-based) of sample i under a rule, from precomputed scores: O(exit layer).
 * The walk visits layers 1, 2, … and stops at the first that satisfies the rule, or at L.
 */
export function exitLayerOf(
  scores: ExitScores,
  rule: ExitRule,
  threshold: number,
  i: number,
): number {
  const last = scores.layers - 1;
  let l = 0;
  if (rule === 'confidence') {
    while (l < last && !(scores.confidence[l][i] >= threshold)) l++;
  } else if (rule === 'entropy') {
    while (l < last && !(scores.entropy[l][i] <= threshold)) l++;
  } else {
    while (l < last && !(scores.agreeRun[l][i] >= threshold)) l++;
  }
  return l + 1;
}

/** Exit layers with the rule already checked: one 1-based layer per sample. */
export function exitLayersOf(scores: ExitScores, rule: ExitRule, threshold: number): Int32Array {
  const out = new Int32Array(scores.samples);
  for (let i = 0; i < out.length; i++) out[i] = exitLayerOf(scores, rule, threshold, i);
  return out;
}

/**
 * Exit layer of every sample (1-based: layer l = after block l), under `rule` at `threshold`
 * (τ for confidence and entropy, k for patience; see {@link ExitRule}).
 *
 * @param input the exit classifiers' logits (one row-major [N, C] array per layer 1..L) with
 *   `classes` = C, or scores from `exitScores` (then `classes` is not needed).
 */
export function exitLayers(
  input: ExitInput,
  rule: ExitRule,
  threshold: number,
  classes?: number,
): Int32Array {
  checkThreshold(rule, threshold, 'exit layers');
  return exitLayersOf(toScores(input, classes, 'exit layers'), rule, threshold);
}
