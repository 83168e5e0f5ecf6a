// Which (sample, position) rows of a decoder's hidden states a similarity analysis reads: the last
// real token of each sample, or every real token (capped by a seeded uniform draw).
import { sampleIndices } from '../data/order';

/** `last`: the last real token of each sample; `tokens`: every real position; `mean`: the mean of the real positions. */
export type DecoderPooling = 'last' | 'tokens' | 'mean';

export const DECODER_POOLINGS: readonly DecoderPooling[] = ['last', 'tokens', 'mean'];

/** Token rows per layer a `tokens` analysis keeps at most, unless told otherwise. */
export const DEFAULT_MAX_TOKEN_ROWS = 4096;

/**
 * Flat index `r·T + k` of the last position k whose mask is 1 in each sample r: left or right
 * padding alike (a decoder's last real token is where it has read the whole sample). Throws
 * naming the sample when a row has no real token.
 */
export function lastRealPositions(mask: ArrayLike<number>, n: number, t: number): Int32Array {
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let last = -1;
    for (let k = 0; k < t; k++) if (mask[r * t + k] === 1) last = k;
    if (last < 0)
      throw new Error(
        `decoder pooling: sample ${r} has no real token (attention_mask all 0), expected at least one 1 per row`,
      );
    out[r] = r * t + last;
  }
  return out;
}

/** Flat indices `r·T + k` of every real position (mask 1), in sample then position order. */
export function realPositions(mask: ArrayLike<number>, n: number, t: number): Int32Array {
  let count = 0;
  for (let i = 0; i < n * t; i++) if (mask[i] === 1) count++;
  const out = new Int32Array(count);
  let j = 0;
  for (let i = 0; i < n * t; i++) if (mask[i] === 1) out[j++] = i;
  return out;
}

/** The token rows a `tokens` analysis reads: ascending flat positions, and how many were real. */
export interface TokenSample {
  positions: Int32Array;
  total: number;
}

/**
 * Every real position when there are at most `maxRows`; otherwise `maxRows` of them drawn
 * uniformly without replacement (sampleIndices: seeded, the same on every platform), returned in
 * ascending order so that batches read them in turn. Padding is never drawn. The same positions
 * serve every layer.
 */
export function sampleTokenPositions(
  mask: ArrayLike<number>,
  n: number,
  t: number,
  maxRows: number,
  seed: number,
): TokenSample {
  if (!Number.isInteger(maxRows) || maxRows < 1)
    throw new Error(`decoder pooling: maxRows ${maxRows}, expected an integer ≥ 1`);
  const real = realPositions(mask, n, t);
  if (real.length === 0)
    throw new Error('decoder pooling: no real token in the input (attention_mask all 0)');
  if (real.length <= maxRows) return { positions: real, total: real.length };
  const picked = sampleIndices(real.length, maxRows, seed).sort();
  return { positions: picked.map((i) => real[i]), total: real.length };
}
