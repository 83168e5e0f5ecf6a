// Plain records of a language model's live fine-tune (lmTraining.ts), re-exported by apiTypes.ts.
import type { NamedArray } from '../io/dtypes';
import type { LayerWeighting } from '../train/schedule';
import type { TrainLog } from '../train/trainConfig';
import type { DecoderFiles, DecoderTexts } from './decoderApiTypes';
import type { LensResult } from './logitLens';

/** Token ids (`input`: input_ids [N, T] and an optional attention_mask) or texts. */
export interface LmTrainInput {
  input?: NamedArray[];
  /** Names the input in error messages (e.g. its file). */
  inputSource?: string;
  text?: DecoderTexts;
}

/** A fine-tune of a causal LM: L = Σ_l λ_l · CE(unembed(final_norm(h_l)), next token). */
export interface LmTrainRequest {
  files: DecoderFiles;
  /** Names the checkpoint in error messages and in the run's name (e.g. its folder). */
  source: string;
  train: LmTrainInput;
  /** Rows the per-layer next-token accuracy is measured on (never trained on). */
  heldOut: LmTrainInput;
  loss: 'standard' | 'aligned';
  weighting: LayerWeighting;
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Training rows cut to their first `maxLength` positions (shorter steps); default: whole rows. */
  maxLength?: number;
  /** Evaluate at steps 1, 5, 10, every `evalEvery` steps and the last (evalSchedule.ts). */
  evalEvery: number;
  /** Held-out rows of the last evaluation (default 128). */
  evalSamples?: number;
  /** Held-out rows of the others: the first of the same ones (default 32). */
  quickEvalSamples?: number;
  /** Default: a tenth of the steps, at most 20. */
  warmupSteps?: number;
}

/** Where a paused or finished run stands: enough to continue it (startLmTraining's resumeFrom). */
export interface LmTrainSnapshot {
  step: number;
  /** model.safetensors at `step` (save_pretrained's names, the step in its metadata). */
  weights: Uint8Array;
  /** AdamW's moments at `step` (optimizer.safetensors). */
  optimizer: Uint8Array;
}

/**
 * The lens on the held-out rows: `before` (step 0, the base model), `quick` (the fixed first
 * rows) or `full` (every held-out row, the last step).
 */
export interface LmEvalLog {
  step: number;
  kind: 'before' | 'quick' | 'full';
  rows: number;
  lens: LensResult;
}

export type LmTrainEvent =
  | { type: 'preparing'; phase: 'model' | 'first-step' }
  | { type: 'log'; log: TrainLog }
  | { type: 'eval'; log: LmEvalLog }
  | { type: 'state'; state: 'running' | 'paused'; step: number }
  | { type: 'snapshot'; snapshot: LmTrainSnapshot };

/** A run that ended (done or stopped): its name, and its model's files as a checkpoint folder. */
export interface LmTrainResult {
  /** What it is, e.g. "imdb-lm-standard → aligned, 40 steps, lr 1e-3". */
  name: string;
  state: 'done' | 'stopped';
  step: number;
  /** config.json as the base's, model.safetensors of the fine-tuned weights. */
  config: Uint8Array;
  snapshot: LmTrainSnapshot;
}

/** startLmTraining's options: `task` for abortTask; `resumeFrom` continues a snapshot's run. */
export interface LmTrainOptions {
  task?: string;
  resumeFrom?: LmTrainSnapshot;
}
