import { gunzipSync } from 'fflate';
import {
  BYTES_PER_ELEMENT,
  parseDatasetManifest,
  type DatasetEntry,
  type DatasetFile,
} from './manifest';
import { betweenBatches, throwIfAborted } from '../tasks';
import { checkWordTokenizerSpec, type WordTokenizerSpec } from './tokenizer';
import type { DataSplit, Dataset } from './types';

/** The datasets shipped in `public/datasets`, in display order. */
export const BUILTIN_DATASETS = ['mnist', 'fashion-mnist', 'imdb'] as const;
export type BuiltinDatasetName = (typeof BUILTIN_DATASETS)[number];

/**
 * Reads a file given its path relative to the datasets folder (`manifest.json`,
 * `mnist/train-x.u8.gz`, …): `fetch` in the worker, `fs.readFile` in Node. It must reject when the
 * file is missing (with fetch: when `response.ok` is false), not resolve with an error page.
 */
export type DatasetFileReader = (relativePath: string) => Promise<Uint8Array>;

export interface DatasetLoadProgress {
  /** The file just read and checked. */
  file: string;
  /** Files done so far, out of total. */
  done: number;
  total: number;
}

/**
 * Loads a built-in dataset: reads manifest.json and the dataset's files through `readFile`,
 * decompresses them, and checks every size against the manifest before returning. The files are
 * read one after another, so an aborted `signal` stops the load before its next file (rejecting
 * with a TaskAbortedError) and what was read is dropped.
 */
export async function loadBuiltinDataset(
  name: string,
  readFile: DatasetFileReader,
  onProgress?: (progress: DatasetLoadProgress) => void,
  signal?: AbortSignal,
): Promise<Dataset> {
  const what = `loading dataset ${name}`;
  await betweenBatches(signal, what);
  const manifest = parseDatasetManifest(
    new TextDecoder().decode(await read(readFile, 'manifest.json')),
  );
  const entry = manifest.datasets.find((d) => d.name === name);
  if (!entry) {
    const known = manifest.datasets.map((d) => d.name).join(', ');
    throw new Error(`unknown built-in dataset "${name}": manifest.json lists ${known}`);
  }
  const files: DatasetFile[] = [
    entry.splits.train.x,
    entry.splits.train.y,
    entry.splits.test.x,
    entry.splits.test.y,
  ];
  const total = files.length + (entry.tokenizer ? 1 : 0);
  let done = 0;
  const progress = (file: string): void => onProgress?.({ file, done: ++done, total });
  const hint = entry.generator
    ? ` (files of "${name}" are generated: run \`${entry.generator}\`)`
    : '';

  const loadFile = async (file: DatasetFile): Promise<Uint8Array | Uint16Array> => {
    await betweenBatches(signal, what);
    const values = decodeFile(file, await read(readFile, file.path, hint), hint);
    progress(file.path);
    return values;
  };
  const loadTokenizer = async (): Promise<WordTokenizerSpec | undefined> => {
    if (!entry.tokenizer) return undefined;
    await betweenBatches(signal, what);
    const { path } = entry.tokenizer;
    const text = new TextDecoder().decode(await read(readFile, path, hint));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
    }
    const spec = checkWordTokenizerSpec(json, path);
    progress(path);
    return spec;
  };
  const values: (Uint8Array | Uint16Array)[] = [];
  for (const file of files) values.push(await loadFile(file));
  const [trainX, trainY, testX, testY] = values;
  const tokenizer = await loadTokenizer();
  throwIfAborted(signal, what);

  const train = makeSplit(entry, 'train', trainX, trainY as Uint8Array, tokenizer);
  const test = makeSplit(entry, 'test', testX, testY as Uint8Array, tokenizer);
  return {
    name: entry.name,
    title: entry.title,
    kind: entry.kind,
    classNames: [...entry.classNames],
    inputShape: [...entry.inputShape],
    train,
    test,
    ...(tokenizer ? { tokenizer } : {}),
  };
}

async function read(readFile: DatasetFileReader, path: string, hint = ''): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new Error(`could not read ${path}: ${(e as Error).message}${hint}`);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Whether bytes start like an HTML page (a dev server's fallback answer for a missing file). */
function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/**
 * Decompresses (when gzipped) and types a file's bytes, checking the length against the manifest.
 * A server that sends `.gz` files with `Content-Encoding: gzip` (Vite's dev server does) hands
 * `fetch` the raw bytes already; those are recognised by the missing gzip magic number and the
 * exact expected length.
 */
function decodeFile(file: DatasetFile, stored: Uint8Array, hint: string): Uint8Array | Uint16Array {
  if (looksLikeHtml(stored)) {
    throw new Error(
      `${file.path}: the server answered with an HTML page, not the file: is it missing?${hint}`,
    );
  }
  let raw = stored;
  const isGzip = stored.length >= 2 && stored[0] === 0x1f && stored[1] === 0x8b;
  if (file.gzip && (isGzip || stored.length !== file.bytes)) {
    if (!isGzip) {
      throw new Error(
        `${file.path}: not a gzip file (${stored.length} bytes without the gzip signature 1f 8b), expected gzip-compressed ${file.dtype} data`,
      );
    }
    try {
      raw = gunzipSync(stored, { out: new Uint8Array(file.bytes + 1) });
    } catch (e) {
      throw new Error(
        `${file.path}: could not decompress (${(e as Error).message}): the file is truncated or damaged`,
      );
    }
  }
  if (raw.length !== file.bytes) {
    const got = raw.length > file.bytes ? `more than ${file.bytes} bytes` : `${raw.length} bytes`;
    throw new Error(
      `${file.path}: ${got} of ${file.dtype} data${file.gzip ? ' after decompression' : ''}, expected ${file.bytes} as manifest.json says`,
    );
  }
  if (file.dtype === 'uint8') return raw;
  const n = raw.length / BYTES_PER_ELEMENT.uint16;
  if (LITTLE_ENDIAN) {
    // The view needs an even byte offset; copy in the rare case it is odd.
    const aligned = raw.byteOffset % 2 === 0 ? raw : raw.slice();
    return new Uint16Array(aligned.buffer, aligned.byteOffset, n);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getUint16(2 * i, true);
  return out;
}

function makeSplit(
  entry: DatasetEntry,
  name: 'train' | 'test',
  x: Uint8Array | Uint16Array,
  y: Uint8Array,
  tokenizer: WordTokenizerSpec | undefined,
): DataSplit {
  const split = entry.splits[name];
  const classes = entry.classNames.length;
  for (let i = 0; i < y.length; i++) {
    if (y[i] >= classes) {
      throw new Error(
        `${split.y.path}: label ${y[i]} at row ${i}, expected a class index below ${classes}`,
      );
    }
  }
  if (tokenizer) {
    const vocab = tokenizer.vocab.length;
    const rowLength = entry.inputShape[0];
    for (let i = 0; i < x.length; i++) {
      if (x[i] >= vocab) {
        const row = Math.floor(i / rowLength);
        throw new Error(
          `${split.x.path}: token id ${x[i]} at row ${row}, position ${i - row * rowLength}, is outside the vocabulary of ${vocab} in ${entry.tokenizer?.path}`,
        );
      }
    }
  }
  return { n: split.n, x, y };
}
