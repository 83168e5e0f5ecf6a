// Texts into a decoder's input arrays, through the checkpoint's own tokenizer.json.
import type { NamedArray } from '../io/dtypes';
import { readHfTokenizer, type HfTokenizer } from '../import/hfTokenizer';
import { readBlobBytes } from '../import/readBlob';
import type { DecoderFiles, DecoderTexts } from './decoderApiTypes';
import type { DecoderConfig } from './decoderConfig';

const TOKENIZER_BYTES = 64 * 1024 * 1024;

/**
 * The tokenizer of a decoder folder. Without tokenizer.json the error names the folder's config
 * (`source`) and says what to give instead.
 */
export async function readDecoderTokenizer(
  files: DecoderFiles,
  source: string,
): Promise<HfTokenizer> {
  if (!files.tokenizer)
    throw new Error(
      `${source}: no tokenizer.json beside ${files.config.path}, expected one to read texts (or give token ids in an .npz)`,
    );
  const read = (f: { path: string; file: Blob }) =>
    readBlobBytes(f.file, f.path, { limit: TOKENIZER_BYTES });
  const json = await read(files.tokenizer);
  const config = files.tokenizerConfig
    ? { bytes: await read(files.tokenizerConfig), source: files.tokenizerConfig.path }
    : undefined;
  return readHfTokenizer(json, files.tokenizer.path, config);
}

/**
 * `input_ids` and `attention_mask` [N, T] int32 of texts, and how many were truncated. `positions`
 * (GPT-2's n_positions, from `file`) refuses texts longer than the model's position table.
 */
export function tokenizeTexts(
  tokenizer: HfTokenizer,
  text: DecoderTexts,
  positions?: { max: number; file: string },
): { arrays: NamedArray[]; truncated: number } {
  if (text.texts.length === 0) throw new Error(`${text.source}: no text, expected one or more`);
  const out = tokenizer.encodeBatch(text.texts, {
    maxLength: text.maxLength,
    paddingSide: text.paddingSide,
  });
  if (positions && out.t > positions.max)
    throw new Error(
      `${text.source}: the longest text is ${out.t} tokens, over n_positions = ${positions.max} of ${positions.file}; give a max length (--max-length) of at most ${positions.max}`,
    );
  const shape = [out.n, out.t];
  return {
    arrays: [
      { name: 'input_ids', dtype: 'int32', shape, data: out.ids },
      { name: 'attention_mask', dtype: 'int32', shape, data: Int32Array.from(out.mask) },
    ],
    truncated: out.truncated,
  };
}

/** The position limit tokenizeTexts checks: GPT-2's learned positions end at n_positions. */
export function positionLimit(
  config: DecoderConfig,
  file: string,
): { max: number; file: string } | undefined {
  return config.family === 'gpt2' ? { max: config.maxPositions, file } : undefined;
}
