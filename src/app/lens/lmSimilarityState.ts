// The layer similarity of the page's language model: its own settings and its last run, beside the
// lens's state (whose model, texts, max length and samples it reads).
import { create } from 'zustand';
import type { DecoderSimilarityResponse } from '../../engine/apiTypes';
import type { DecoderPooling } from '../../engine/decoder/decoderPooling';
import type { CkaMetric } from '../state/config';
import type { LmTaskRunning } from './lmTaskSlot';

/** What the similarity section asks of its own: pooling, the measure beside cosine, the seed. */
export interface LmSimilaritySettings {
  pooling: DecoderPooling;
  cka: CkaMetric;
  /** `tokens`: the seed of the draw when the real tokens outnumber the cap. */
  seed: number;
}

/** Everything a run's numbers depend on, as the page asked for it. */
export interface LmSimilarityQuery extends LmSimilaritySettings {
  model: string;
  /** The comparison model, or null. */
  compare: string | null;
  /** The texts in words, as the lens's caption names them. */
  textSource: string;
  /** Texts read: the samples asked for, at most as many as there are. */
  samples: number;
  /** Tokens per text at most; null for token ids (a built-in LM's held-out reviews). */
  maxLength: number | null;
}

/** A finished run: the first model's matrices, and with a comparison its own and A × B. */
export interface LmSimilarityRun {
  query: LmSimilarityQuery;
  response: DecoderSimilarityResponse;
  compare?: {
    response: DecoderSimilarityResponse;
    /** Null when the two models have different vocabularies: no ids mean the same to both. */
    across: DecoderSimilarityResponse | null;
  };
}

export interface LmSimilarityState extends LmSimilaritySettings {
  /** The run in flight: its query, progress and how to stop it. */
  running: (LmTaskRunning & { query: LmSimilarityQuery }) | null;
  result: LmSimilarityRun | null;
  /** The key (lmSimilarityKey) of a query cancelled or failed: not run again by itself. */
  gaveUp: string | null;
}

export const initialLmSimilarityState = (): LmSimilarityState => ({
  pooling: 'last',
  cka: 'cka',
  seed: 0,
  running: null,
  result: null,
  gaveUp: null,
});

export const useLmSimilarity = create<LmSimilarityState>()(initialLmSimilarityState);

/** A query as a key: two queries with the same key give the same numbers. */
export const lmSimilarityKey = (q: LmSimilarityQuery): string =>
  JSON.stringify([
    q.model,
    q.compare,
    q.textSource,
    q.samples,
    q.maxLength,
    q.pooling,
    q.cka,
    q.pooling === 'tokens' ? q.seed : null,
  ]);
