// Texts into a decoder's input arrays, through the checkpoint's own tokenizer.json.
import type { NamedArray } from '../io/dtypes';
import { readHfTokenizer, type HfTokenizer } from '../import/hfTokenizer';
import { readBlobBytes } from '../import/readBlob';
import type { DecoderFiles, DecoderTexts } from './decoderApiTypes';

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

/** `input_ids` and `attention_mask` [N, T] int32 of texts, and how many were truncated. */
export function tokenizeTexts(
  tokenizer: HfTokenizer,
  text: DecoderTexts,
): { arrays: NamedArray[]; truncated: number } {
  if (text.texts.length === 0) throw new Error(`${text.source}: no text, expected one or more`);
  const out = tokenizer.encodeBatch(text.texts, {
    maxLength: text.maxLength,
    paddingSide: text.paddingSide,
  });
  const shape = [out.n, out.t];
  return {
    arrays: [
      { name: 'input_ids', dtype: 'int32', shape, data: out.ids },
      { name: 'attention_mask', dtype: 'int32', shape, data: Int32Array.from(out.mask) },
    ],
    truncated: out.truncated,
  };
}
