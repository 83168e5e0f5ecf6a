// Plain records of the engine's decoder requests (language models), re-exported by apiTypes.ts.
import type { NamedArray } from '../io/dtypes';
import type { CheckpointBlobs, ImportFile } from '../import/userImportTypes';
import type { ExitRule } from '../exits/rules';
import type { SimilarityMetric } from '../metrics/types';
import type { SimilarityReport } from '../pipeline/analyze';
import type { CrossSimilarityReport } from '../pipeline/analyzeAcross';
import type { DecoderPooling } from './decoderPooling';
import type { DecoderRowFacts } from './decoderSimilarity';
import type { GeneratedToken } from './generateExits';
import type { LmExitTradeoff } from './lmExitTradeoff';
import type { LensResult } from './logitLens';

/** A decoder checkpoint folder: config.json, the weights and, to read texts, its tokenizer. */
export interface DecoderFiles extends CheckpointBlobs {
  /** tokenizer.json (Hugging Face tokenizers). */
  tokenizer?: ImportFile;
  /** tokenizer_config.json: its bos/eos/pad tokens and padding side. */
  tokenizerConfig?: ImportFile;
}

/** Texts for a decoder, tokenized with the checkpoint's tokenizer.json. */
export interface DecoderTexts {
  texts: string[];
  /** Names the texts in error messages (e.g. their file). */
  source: string;
  /** Ids per text at most, special tokens included; longer texts keep their first ones. */
  maxLength?: number;
  /** Default: tokenizer_config.json's padding_side, else right. */
  paddingSide?: 'left' | 'right';
}

/** A causal LM and its input: token ids (`input`) or texts (`text`), for lens. */
export interface LensRequest {
  files: DecoderFiles;
  /** Names the checkpoint in error messages (e.g. its folder). */
  source: string;
  /** `input_ids` [N, T] with an optional `attention_mask`. */
  input?: NamedArray[];
  /** Names the input in error messages (e.g. its file). */
  inputSource?: string;
  text?: DecoderTexts;
  /** The first N samples only. */
  samples?: number;
  /** Samples per forward pass (default 8). */
  batchSize?: number;
}

export interface LensResponse {
  lens: LensResult;
  /** The transformers class the checkpoint was read as. */
  architecture: string;
  unusedTensors: string[];
  /** Texts cut at maxLength (text input only). */
  truncated?: number;
}

/** A causal LM's teacher-forced early exit (lmExitScores.ts) on token ids or texts. */
export interface LmExitsRequest extends LensRequest {
  /** The rules to sweep (default: all of them). */
  rules?: ExitRule[];
}

export interface LmExitsResponse {
  architecture: string;
  /** L. */
  layers: number;
  /** Positions scored. */
  tokens: number;
  curves: Partial<Record<ExitRule, LmExitTradeoff>>;
  unusedTensors: string[];
  /** Texts cut at maxLength (text input only). */
  truncated?: number;
}

/** Greedy generation with early exit (generateExits.ts): each row's real tokens one prompt. */
export interface GenerateRequest extends LensRequest {
  maxNew: number;
  rule: ExitRule;
  threshold: number;
  /** Token ids never generated (their logits −∞ before the rule and the top token are read). */
  suppress?: number[];
}

export interface GeneratedSample {
  prompt: number[];
  /** With text input each token carries its own decoded text too. */
  tokens: (GeneratedToken & { text?: string })[];
  /** With text input: the prompt and the generated ids decoded by the checkpoint's tokenizer. */
  promptText?: string;
  text?: string;
}

export interface GenerateResponse {
  architecture: string;
  layers: number;
  samples: GeneratedSample[];
  unusedTensors: string[];
  truncated?: number;
}

/**
 * Layer similarity of a decoder's pooled hidden states (decoderLayerRows.ts); with `versus`, a
 * second decoder of the same vocabulary on the same ids and positions. `batchSize`: samples per
 * forward pass (default 16).
 */
export interface DecoderSimilarityRequest extends LensRequest {
  pooling: DecoderPooling;
  /** `tokens`: rows per layer kept at most; `seed` draws them. */
  maxRows?: number;
  seed?: number;
  /** Default: every applicable measure. */
  metrics?: SimilarityMetric[];
  /** The measures' settings (analyze.ts): minibatch CKA's batch, RBF's t, k-NN's k. */
  analysisBatchSize?: number;
  rbfT?: number;
  knnK?: number;
  versus?: { files: DecoderFiles; source: string };
}

export interface DecoderSimilarityResponse {
  report: SimilarityReport | CrossSimilarityReport;
  facts: DecoderRowFacts;
  architecture: string;
  versusArchitecture?: string;
  unusedTensors: string[];
  truncated?: number;
}
