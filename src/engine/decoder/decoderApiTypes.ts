// Plain records of the engine's decoder requests (language models), re-exported by apiTypes.ts.
import type { NamedArray } from '../io/dtypes';
import type { CheckpointBlobs, ImportFile } from '../import/userImportTypes';
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
