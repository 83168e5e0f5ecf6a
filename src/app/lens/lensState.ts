// The page's language model and its logit lens: a resource of its own beside the explorer's store
// (the classifiers' state knows nothing of decoders).
import { create } from 'zustand';
import type { DecoderFiles, DecoderSummary, LensResponse } from '../../engine/apiTypes';
import type { LensIds } from './heldOutReviews';
import type { LmTaskRunning } from './lmTaskSlot';

/** A dropped decoder folder, reviewed: its files go to the engine with each lens request. */
export interface LanguageModel {
  name: string;
  files: DecoderFiles;
  summary: DecoderSummary;
  /** Positions the model can read (GPT-2's n_positions; Llama's max_position_embeddings). */
  maxPositions: number;
  /** A built-in LM's id (public/models/<id>); absent for a dropped folder. */
  builtin?: string;
  /** A fine-tuned LM's storage key (tunedLms.ts); absent otherwise. */
  tuned?: string;
  /** A built-in LM's texts when the user gives none: its held-out reviews as ids. */
  defaultIds?: LensIds;
}

/** Texts for the lens: a user's file, or the built-in sample set. */
export interface LensTexts {
  source: string;
  texts: string[];
}

/** A finished lens run and what it was run on, for the chart and its caption. */
export interface LensRun {
  model: string;
  textSource: string;
  maxLength: number;
  samples: number;
  response: LensResponse;
  /** The comparison model's run on the same texts. */
  compare?: { model: string; response: LensResponse };
}

export interface LensState {
  model: LanguageModel | null;
  /** A second language model run on the same texts, drawn beside the first. */
  compare: LanguageModel | null;
  /** Null: the built-in sample texts. */
  texts: LensTexts | null;
  /** Tokens per text at most (special tokens counted). */
  maxLength: number;
  /** Texts read at most. */
  samples: number;
  /** The run in flight: its progress (null before the first report) and how to stop it. */
  running: LmTaskRunning | null;
  result: LensRun | null;
}

export const DEFAULT_MAX_LENGTH = 64;
export const DEFAULT_SAMPLES = 32;

export const initialLensState = (): LensState => ({
  model: null,
  compare: null,
  texts: null,
  maxLength: DEFAULT_MAX_LENGTH,
  samples: DEFAULT_SAMPLES,
  running: null,
  result: null,
});

export const useLens = create<LensState>()(initialLensState);
