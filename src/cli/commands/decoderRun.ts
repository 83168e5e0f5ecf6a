// What every decoder command (GPT-2, Llama, Qwen2) shares: its folder's files with the tokenizer
// and its input (token ids in an .npz, or texts through the folder's tokenizer.json).
import { existsSync, openAsBlob } from 'node:fs';
import { join } from 'node:path';
import type { NamedArray } from '../../engine/io/dtypes';
import type { DecoderFiles } from '../../engine/decoder/decoderApiTypes';
import { decoderConfigFromHuggingFace } from '../../engine/decoder/decoderConfig';
import {
  positionLimit,
  readDecoderTokenizer,
  tokenizeTexts,
} from '../../engine/decoder/decoderTexts';
import { readConfigJson } from '../../engine/decoder/loadDecoder';
import { readLmTexts } from '../../engine/import/lmTexts';
import type { CheckpointBlobs } from '../../engine/import/userImportTypes';
import { intOption } from '../args';
import { checkpointFolderFiles } from '../checkpointFolder';
import { UsageError } from '../errors';
import { readBytes, readInputArrays } from '../inputArrays';

export interface DecoderRun {
  folder: string;
  files: CheckpointBlobs;
  arrays: NamedArray[];
  inputPath: string;
  batchSize: number;
  /** Texts cut at --max-length (--text only). */
  truncated?: number;
}

/** The options a decoder command reads its input with; spread them into its option spec. */
export const DECODER_INPUT_SPEC = {
  input: { type: 'string' },
  text: { type: 'string' },
  'max-length': { type: 'string' },
  samples: { type: 'string' },
} as const;

export const DECODER_INPUT_USAGE = `(--input FILE | --text FILE [--max-length T]) [--samples N]
  --input: .npz with input_ids [N, T] and an optional attention_mask (or .npy of ids).
  --text: .txt (one text per non-blank line), .jsonl (a "text" field per line) or .csv / .tsv (a
  text column), tokenized with the model folder's tokenizer.json (and tokenizer_config.json):
  special tokens as transformers adds them (Llama's BOS), padded to the longest text on the side
  tokenizer_config.json names (right by default); --max-length T keeps each text's first T ids.
  --samples N: the first N rows or texts.`;

const TOKENIZER_FILE = 'tokenizer.json';
const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';

/** checkpointFolderFiles with the folder's tokenizer.json and tokenizer_config.json if there. */
export async function decoderFolderFiles(folder: string): Promise<DecoderFiles> {
  const files: DecoderFiles = await checkpointFolderFiles(folder);
  const open = async (name: string) =>
    existsSync(join(folder, name))
      ? { path: join(folder, name), file: await openAsBlob(join(folder, name)) }
      : undefined;
  files.tokenizer = await open(TOKENIZER_FILE);
  files.tokenizerConfig = await open(TOKENIZER_CONFIG_FILE);
  return files;
}

/** The first n rows of [N, …] arrays. */
function firstRows(arrays: NamedArray[], n: number): NamedArray[] {
  return arrays.map((a) => {
    if (a.shape.length === 0 || a.shape[0] <= n) return a;
    const row = a.shape.slice(1).reduce((x, y) => x * y, 1);
    return { ...a, shape: [n, ...a.shape.slice(1)], data: a.data.slice(0, n * row) } as NamedArray;
  });
}

/**
 * A decoder command's model folder and input (token ids for the engine API), from --input or --text
 * (with --max-length) and --samples. A folder without tokenizer.json given --text says so.
 */
export async function readDecoderRun(
  command: string,
  options: { [K in keyof typeof DECODER_INPUT_SPEC]?: string },
  folder: string,
  batchSize: number,
): Promise<DecoderRun & { files: DecoderFiles }> {
  const samples =
    options.samples === undefined
      ? undefined
      : intOption(command, 'samples', options.samples, 1, 1, 2 ** 31 - 1);
  if (options.input !== undefined && options.text !== undefined)
    throw new UsageError(`strata ${command}: give --input or --text, not both`);
  const files = await decoderFolderFiles(folder);
  if (options.text === undefined) {
    if (options.input === undefined || options.input === '')
      throw new UsageError(`strata ${command}: --input (token ids) or --text is required`);
    if (options['max-length'] !== undefined)
      throw new UsageError(`strata ${command}: --max-length goes with --text`);
    const arrays = await readInputArrays(options.input);
    const inputPath = options.input;
    return {
      folder,
      files,
      inputPath,
      batchSize,
      arrays: samples ? firstRows(arrays, samples) : arrays,
    };
  }
  const inputPath = options.text;
  const maxLength =
    options['max-length'] === undefined
      ? undefined
      : intOption(command, 'max-length', options['max-length'], 1, 1, 2 ** 20);
  if (!files.tokenizer)
    throw new UsageError(
      `strata ${command}: --text ${inputPath}: the model folder ${folder} has no ${TOKENIZER_FILE} (expected it beside ${files.config.path} to read texts; or give token ids with --input FILE.npz)`,
    );
  const texts = readLmTexts(await readBytes(inputPath), inputPath);
  const tokenizer = await readDecoderTokenizer(files, folder);
  const config = decoderConfigFromHuggingFace(await readConfigJson(files), files.config.path);
  const text = { texts: samples ? texts.slice(0, samples) : texts, source: inputPath, maxLength };
  const { arrays, truncated } = tokenizeTexts(
    tokenizer,
    text,
    positionLimit(config, files.config.path),
  );
  return { folder, files, arrays, inputPath, batchSize, truncated };
}
