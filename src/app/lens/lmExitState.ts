// Early exit of the page's language model: the teacher-forced trade-off curves and a greedy
// generation whose tokens each leave at their own layer. A resource of its own beside the lens.
import { create } from 'zustand';
import type { GenerateResponse, LmExitsResponse } from '../../engine/apiTypes';
import type { ExitRule } from '../../engine/exits/rules';
import type { TradeoffMeasure } from '../../charts/tradeoffData';
import type { LmTaskRunning } from './lmTaskSlot';

/** What a sweep was run on, in the words its caption and staleness note use. */
export interface LmExitInputs {
  model: string;
  compare: string | null;
  textSource: string;
  /** Tokens per text at most; null for token ids (held-out reviews), which it does not cut. */
  maxLength: number | null;
  samples: number;
}

/** A finished sweep: every rule's curve for the model and, with "Compare with", the second. */
export interface LmExitRun extends LmExitInputs {
  response: LmExitsResponse;
  compareResponse?: LmExitsResponse;
}

export interface GenerationSettings {
  prompt: string;
  maxNew: number;
  rule: ExitRule;
  threshold: number;
}

export interface GenerationRun extends GenerationSettings {
  model: string;
  response: GenerateResponse;
}

export interface LmExitState {
  /** The curve on show: every rule is swept at once, so a change needs no new run. */
  rule: ExitRule;
  measure: TradeoffMeasure;
  running: LmTaskRunning | null;
  result: LmExitRun | null;
  generation: GenerationSettings;
  generating: LmTaskRunning | null;
  generated: GenerationRun | null;
}

/** A review's opening; the built-in LMs were trained on IMDB reviews. */
export const DEFAULT_PROMPT = 'this movie was one of the';

export const initialLmExitState = (): LmExitState => ({
  rule: 'confidence',
  measure: 'accuracy',
  running: null,
  result: null,
  generation: { prompt: DEFAULT_PROMPT, maxNew: 12, rule: 'confidence', threshold: 0.2 },
  generating: null,
  generated: null,
});

export const useLmExit = create<LmExitState>()(initialLmExitState);
