// Greedy generation where every token may leave the decoder early: after each block the logit
// lens (unembed(final_norm(h_l))) is scored by an early-exit rule, and the first layer where the
// rule holds gives the token.
import { requireCausalLm } from './decoderConfig';
import { tf } from '../tf';
import type { Tensor2D, Tensor3D } from '../tf';
import { exitScores } from '../exits/scores';
import { checkThreshold, type ExitRule } from '../exits/rules';
import { betweenBatches } from '../tasks';
import {
  cachedBlock,
  disposeCache,
  embedAt,
  emptyCache,
  propagateState,
  type KvCache,
} from './decoderCache';
import { finalNorm, unembed } from './decoderForward';
import type { DecoderParams } from './decoderWeights';

export interface GeneratedToken {
  token: number;
  /** 1-based: the token was read after block `exitLayer` (L = the whole model). */
  exitLayer: number;
  /** Max probability of the lens distribution it was read from. */
  confidence: number;
}

export interface GenerateOptions {
  maxNew: number;
  rule: ExitRule;
  /** τ for confidence and entropy, k for patience; a confidence τ > 1 never exits early. */
  threshold: number;
  /** Checked before every token: an abort stops the generation between two tokens. */
  signal?: AbortSignal;
  /** Called after each new token with how many there are so far. */
  onToken?: (done: number) => void;
  /**
   * Token ids never generated (e.g. [UNK] and [PAD] of a word-level vocabulary): their logits are
   * pushed to −∞ at every layer, so the top token, confidence and entropy are those of the rest.
   */
  suppress?: readonly number[];
}

/** Whether a rule holds at one layer (as exitLayerOf in ../exits/rules.ts walks them). */
function holds(rule: ExitRule, threshold: number, p: number, h: number, run: number): boolean {
  if (rule === 'confidence') return p >= threshold;
  if (rule === 'entropy') return h <= threshold;
  return run >= threshold;
}

/**
 * One decoding step on the token at position cache.length: blocks run until the rule holds (or
 * the last block); the skipped blocks get the exited hidden state as their input at this position
 * and compute only their keys and values from it (CALM's state propagation), so later tokens
 * attend to a state at every layer.
 */
async function exitStep(
  params: DecoderParams,
  token: number,
  cache: KvCache,
  options: GenerateOptions,
): Promise<GeneratedToken> {
  const depth = params.config.numLayers;
  const vocab = params.config.vocabSize;
  let h = embedAt(params, [token], cache.length);
  let previous = -1;
  let run = 0;
  try {
    for (let i = 0; i < depth; i++) {
      const next = cachedBlock(params, i, h, cache);
      h.dispose();
      h = next;
      const logits = tf.tidy(() =>
        unembed(params, finalNorm(params, tf.reshape(h, [1, -1])) as Tensor2D),
      );
      const values = (await logits.data()) as Float32Array;
      logits.dispose();
      // −∞ in effect: exp underflows to 0 and 0 · z stays 0 in the entropy (−∞ would give NaN).
      for (const id of options.suppress ?? []) values[id] = -1e30;
      const s = exitScores([values], vocab, `generation, layer ${i + 1}`);
      const top = s.top1[0][0];
      run = i > 0 && top === previous ? run + 1 : 0;
      previous = top;
      const [p, entropy] = [s.confidence[0][0], s.entropy[0][0]];
      if (i === depth - 1 || holds(options.rule, options.threshold, p, entropy, run)) {
        for (let later = i + 1; later < depth; later++) propagateState(params, later, h, cache);
        return { token: top, exitLayer: i + 1, confidence: p };
      }
    }
    throw new Error('generation: unreachable, the last block always exits');
  } finally {
    h.dispose();
    cache.length += 1;
  }
}

/**
 * Greedy generation of `maxNew` tokens after `prompt`. The prompt's tokens but the last run
 * through every block at once (their keys and values exact); from the prompt's last token on,
 * each token is one exit step. With a rule that never holds early, the tokens are the model's
 * greedy continuation. An aborted `signal` ends it with a TaskAbortedError before the next token.
 */
export async function generateWithExits(
  params: DecoderParams,
  prompt: readonly number[],
  options: GenerateOptions,
): Promise<GeneratedToken[]> {
  const c = params.config;
  const where = 'generation';
  requireCausalLm(c, where);
  checkThreshold(options.rule, options.threshold, where);
  for (const id of options.suppress ?? [])
    if (!(Number.isInteger(id) && id >= 0 && id < c.vocabSize))
      throw new Error(`${where}: suppressed token ${id}, expected ids in [0, ${c.vocabSize})`);
  if (!(Number.isInteger(options.maxNew) && options.maxNew >= 1))
    throw new Error(`${where}: ${options.maxNew} new tokens, expected a whole number ≥ 1`);
  if (prompt.length === 0)
    throw new Error(`${where}: empty prompt, expected at least one token id`);
  prompt.forEach((id, k) => {
    if (!(Number.isInteger(id) && id >= 0 && id < c.vocabSize))
      throw new Error(
        `${where}: prompt id ${id} at index ${k}, expected ids in [0, ${c.vocabSize})`,
      );
  });
  if (c.family === 'gpt2' && prompt.length + options.maxNew - 1 > c.maxPositions)
    throw new Error(
      `${where}: ${prompt.length} prompt + ${options.maxNew} new tokens need ${prompt.length + options.maxNew - 1} positions, expected at most n_positions = ${c.maxPositions}`,
    );
  const cache = emptyCache(params);
  try {
    if (prompt.length > 1) {
      let x: Tensor3D = embedAt(params, prompt.slice(0, -1), 0);
      try {
        for (let i = 0; i < c.numLayers; i++) {
          const next = cachedBlock(params, i, x, cache);
          x.dispose();
          x = next;
        }
      } finally {
        x.dispose();
      }
      cache.length = prompt.length - 1;
    }
    const out: GeneratedToken[] = [];
    let token = prompt[prompt.length - 1];
    while (out.length < options.maxNew) {
      await betweenBatches(options.signal, where);
      const step = await exitStep(params, token, cache, options);
      out.push(step);
      token = step.token;
      options.onToken?.(out.length);
    }
    return out;
  } finally {
    disposeCache(cache);
  }
}
