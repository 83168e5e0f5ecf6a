// Plain chart data for the language model's early exit: the trade-off curves of a sweep (one per
// model, every rule's points as the engine's lmExits gave them), their caption, whether they are
// of the inputs chosen now, and a generation's exit layers summed up.
import { heatmapColor, textColorOn } from '../../charts/colors';
import {
  accuracyDomain,
  describeAccuracyDomain,
  type TradeoffData,
  type TradeoffMeasure,
} from '../../charts/tradeoffData';
import type { GeneratedSample, LmExitsResponse } from '../../engine/apiTypes';
import { EXIT_RULES, type ExitRule } from '../../engine/exits/rules';

/** What a sweep was run on (lmExitState.ts LmExitInputs, repeated so this file stays a leaf). */
export interface LmExitInputWords {
  model: string;
  compare: string | null;
  textSource: string;
  maxLength: number | null;
  samples: number;
}

export interface LmExitSweep extends LmExitInputWords {
  response: LmExitsResponse;
  compareResponse?: LmExitsResponse;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Next-token accuracy and perplexity against mean exit layer for `rule`: a series per model, named
 * by it, the second dashed. A second model of another depth is left out (speed-up = L / mean exit
 * layer needs one L); null before a sweep or when it has no curve for the rule.
 */
export function lmExitTradeoff(run: LmExitSweep | null, rule: ExitRule): TradeoffData | null {
  const curve = run?.response.curves[rule];
  if (!run || !curve) return null;
  const second = run.compare ? run.compareResponse?.curves[rule] : undefined;
  const models = [
    { name: run.model, curve },
    ...(second && second.layers === curve.layers ? [{ name: run.compare!, curve: second }] : []),
  ];
  return {
    layers: curve.layers,
    series: models.map((m, i) => ({
      name: m.name,
      dashed: i > 0,
      points: m.curve.points.map((p) => ({
        meanExitLayer: p.meanExitLayer,
        accuracy: p.accuracy,
        perplexity: p.perplexity,
        threshold: p.threshold,
      })),
    })),
  };
}

export const LM_EXIT_RULES: readonly { value: ExitRule; label: string }[] = EXIT_RULES.map((r) => ({
  value: r,
  label:
    r === 'confidence'
      ? 'Confidence (max probability ≥ τ)'
      : r === 'entropy'
        ? 'Entropy (≤ τ nats)'
        : 'Patience (top-1 unchanged for k layers)',
}));

export const LM_EXIT_MEASURES: readonly { value: TradeoffMeasure; label: string }[] = [
  { value: 'accuracy', label: 'Next-token accuracy' },
  { value: 'perplexity', label: 'Perplexity' },
];

/**
 * "LM early exit: next-token accuracy against mean exit layer · a vs b · texts · 1,234 tokens
 * scored · confidence rule · accuracy axis 10–30 %".
 */
export function lmExitCaption(
  run: LmExitSweep | null,
  rule: ExitRule,
  measure: TradeoffMeasure,
): string {
  const what = `LM early exit: ${measure === 'accuracy' ? 'next-token accuracy' : 'perplexity'} against mean exit layer`;
  if (!run) return `${what} (not run yet)`;
  const models = run.compare ? `${run.model} vs ${run.compare}` : run.model;
  const tokens = run.compareResponse
    ? `${count(run.response.tokens)} and ${count(run.compareResponse.tokens)} tokens scored`
    : `${count(run.response.tokens)} tokens scored`;
  const data = lmExitTradeoff(run, rule);
  // A fitted accuracy axis must say where it starts; perplexity has no natural zero anyway.
  const axis =
    data && measure === 'accuracy' ? ` · ${describeAccuracyDomain(accuracyDomain(data))}` : '';
  return `${what} · ${models} · ${run.textSource} · ${tokens} · ${rule} rule${axis}`;
}

function words(inputs: LmExitInputWords): Record<string, string> {
  return {
    model: inputs.model,
    compare: inputs.compare ? `compared with ${inputs.compare}` : 'no comparison',
    texts: inputs.textSource,
    maxLength: inputs.maxLength === null ? 'token ids' : `${inputs.maxLength} tokens per text`,
    samples: `${count(inputs.samples)} texts`,
  };
}

/**
 * Null when the sweep on show is of the inputs chosen now (state/currency.ts's rule), else a note:
 * what it was computed for and what Run would compute, in the words that differ. The rule is not
 * an input: every rule is swept at once.
 */
export function lmExitStaleness(
  shown: LmExitInputWords | null,
  wanted: LmExitInputWords | null,
): string | null {
  if (!shown) return null;
  if (!wanted) return `no language model chosen now (out of date: computed for ${shown.model})`;
  const [a, b] = [words(shown), words(wanted)];
  const keys = Object.keys(a).filter((k) => a[k] !== b[k]);
  if (keys.length === 0) return null;
  const say = (w: Record<string, string>) => keys.map((k) => w[k]).join(', ');
  return `run again for ${say(b)} (out of date: computed for ${say(a)})`;
}

/** A generation's mean exit layer over its new tokens and the speed-up L / mean against full depth. */
export function generationSummary(
  sample: GeneratedSample,
  layers: number,
): { tokens: number; meanExitLayer: number; speedup: number } {
  const n = sample.tokens.length;
  const meanExitLayer = n === 0 ? layers : sample.tokens.reduce((s, t) => s + t.exitLayer, 0) / n;
  return { tokens: n, meanExitLayer, speedup: layers / meanExitLayer };
}

/** A chip's fill and ink for a token that exited after block `layer` of `layers` (viridis). */
export function exitLayerColors(layer: number, layers: number): { fill: string; text: string } {
  const fill = heatmapColor('sequential')(layers <= 1 ? 1 : (layer - 1) / (layers - 1));
  return { fill, text: textColorOn(fill) };
}
