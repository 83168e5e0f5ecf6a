// The page's live fine-tune of its language model (LmFineTunePanel) and the fine-tuned language
// models it made, which the LM picker lists. A resource of its own beside lensState.
import { create } from 'zustand';
import type { LmEvalLog, LmTrainRequest, LmTrainSnapshot } from '../../engine/apiTypes';
import type { LayerWeighting } from '../../engine/train/schedule';

export interface LmTuneSettings {
  loss: 'standard' | 'aligned';
  weighting: Exclude<LayerWeighting, number[]>;
  steps: number;
  batchSize: number;
  lr: number;
}

/**
 * Sized to lift the built-in standard LM's layer-1 accuracy within a minute on wasm: short
 * training rows (32 tokens), 8 per step, a small lr that leaves the last layer where it was.
 */
export const DEFAULT_LM_TUNE: LmTuneSettings = {
  loss: 'aligned',
  weighting: 'linear',
  steps: 30,
  batchSize: 8,
  lr: 1e-3,
};

/** Training rows are cut to this many tokens: a step costs a quarter of a 128-token one. */
export const LM_TUNE_MAX_LENGTH = 32;
/** Evaluate every this many steps after steps 1, 5 and 10. */
export const LM_TUNE_EVAL_EVERY = 10;
/** Held-out rows of the last evaluation, and of the others (the first of them). */
export const LM_TUNE_EVAL_ROWS = { full: 64, quick: 32 };

export type LmTuneState =
  | 'idle'
  | 'preparing'
  | 'running'
  | 'paused'
  /** Stop asked: the engine ends after the step in flight, then measures on every held-out row. */
  | 'stopping'
  | 'done'
  | 'stopped';

export interface LmTuneRun {
  name: string;
  /** The language model it fine-tunes (LanguageModel.name). */
  base: string;
  state: LmTuneState;
  step: number;
  steps: number;
  /** Training steps per second of the running stretch (null until two steps have passed). */
  stepsPerSecond: number | null;
  /** The lens before the first step, then at each evaluation. */
  evals: LmEvalLog[];
  /** Where a paused run stands (to continue it after the page reloads it is not enough alone). */
  snapshot: LmTrainSnapshot | null;
}

export interface StoredFile {
  path: string;
  bytes: Uint8Array;
}

/** The paused run as stored (files as bytes: the snapshot's weights stand in for the base's). */
export interface PausedLmRecord {
  name: string;
  base: string;
  builtin?: string;
  request: Omit<LmTrainRequest, 'files'> & {
    files: { config: StoredFile; tokenizer?: StoredFile; tokenizerConfig?: StoredFile };
  };
  evals: LmEvalLog[];
  snapshot: LmTrainSnapshot;
  savedAt: string;
}

/** A stored fine-tuned LM: its folder's files by name, and the built-in LM it came from. */
export interface TunedLmRecord {
  key: string;
  name: string;
  /** The built-in LM it was fine-tuned from: its held-out reviews are the lens's default input. */
  builtin?: string;
  files: Record<string, Uint8Array>;
  savedAt: string;
}

/** A fine-tuned language model the page made, listed in the LM picker (opened when picked). */
export interface TunedLm {
  /** Key in the page's storage. */
  key: string;
  name: string;
  record: TunedLmRecord;
}

export interface LmTuneStore {
  settings: LmTuneSettings;
  run: LmTuneRun | null;
  tuned: TunedLm[];
  /** A run paused when the page last closed, offered to resume (pausedLm.ts). */
  paused: PausedLmRecord | null;
}

export const initialLmTuneState = (): LmTuneStore => ({
  settings: { ...DEFAULT_LM_TUNE },
  run: null,
  tuned: [],
  paused: null,
});

export const useLmTune = create<LmTuneStore>()(initialLmTuneState);

/** "12 s left" from the steps to go and the running pace; null while paused or unknown. */
export function lmTuneEta(run: LmTuneRun): string | null {
  if (run.state !== 'running' || !run.stepsPerSecond) return null;
  const seconds = Math.ceil((run.steps - run.step) / run.stepsPerSecond);
  return seconds >= 60
    ? `${Math.floor(seconds / 60)} min ${seconds % 60} s left`
    : `${seconds} s left`;
}
