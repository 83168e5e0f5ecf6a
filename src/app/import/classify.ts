// Recognition of a drop: from the dropped files' paths alone (no bytes read), which importer
// takes them — a dataset (and its format), a model, activations or a saved session — or a
// message naming the files and saying what Strata accepts.
import type { DatasetFormat } from '../../engine/apiTypes';
import { PICKLE_WEIGHTS, pickleWeightsMessage } from '../../engine/import/pickleWeights';
import { INDEX_FILE } from '../../engine/import/shardIndex';
import type { DropKind } from './types';

export type Recognition =
  | { kind: 'dataset'; format: DatasetFormat; title: string }
  | { kind: Exclude<DropKind, 'dataset'>; title: string }
  | { kind: 'unknown'; message: string };

/** What the page accepts, for messages and the picker's help text. */
export const ACCEPTED =
  'Strata accepts datasets (a zip or folder of class sub-folders of PNG, JPEG or WebP images; a pair of IDX files, raw or .gz; a CSV in label,pixel0,… layout; a CSV/TSV with a text and a label column; JSONL with text and label; a Hugging Face Parquet file), models (config.json + model.safetensors or its shards with model.safetensors.index.json, in float32, float16 or bfloat16, with tokenizer.json or vocab.txt for text), language models (a GPT-2, Llama or Qwen2 folder with its tokenizer.json; then a .txt, .jsonl or .csv of texts for the logit lens), activations (.npz, .npy, .safetensors) and saved sessions (.strata.zip).';

const IMAGE = /\.(png|jpe?g|webp)$/i;
const IDX = /(-ubyte|\.idx\d?|\.idx\d-ubyte)(\.gz)?$/i;
const ACTIVATIONS = /\.(npz|npy|safetensors)$/i;
/** Files operating systems leave in folders and zips. */
const JUNK = /(^|\/)(\.[^/]*|__MACOSX|Thumbs\.db|desktop\.ini)(\/|$)/i;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The dropped folder's name when every file sits in one, else the (first) file's name. */
function titleOf(paths: string[]): string {
  const top = paths[0].split('/')[0];
  if (paths.every((p) => p.includes('/') && p.split('/')[0] === top)) return top;
  return baseName(paths[0]);
}

function listed(paths: string[]): string {
  return paths.slice(0, 4).join(', ') + (paths.length > 4 ? `, … (${paths.length} files)` : '');
}

const SINGLE_FILE_FORMATS: [RegExp, DatasetFormat][] = [
  [/\.csv$/i, 'csv'],
  [/\.tsv$/i, 'tsv'],
  [/\.(jsonl|ndjson)$/i, 'jsonl'],
  [/\.parquet$/i, 'parquet'],
  [/\.zip$/i, 'zip'],
];

/** Decides what a drop is from its files' paths ('/'-separated, relative to the drop). */
export function classifyDrop(files: readonly { path: string }[]): Recognition {
  const all = files.map((f) => f.path);
  const paths = all.filter((p) => !JUNK.test(p));
  if (paths.length === 0)
    return {
      kind: 'unknown',
      message: all.length
        ? `${listed(all)}: only hidden or system files. ${ACCEPTED}`
        : `Nothing was dropped (an empty folder?). ${ACCEPTED}`,
    };
  const title = titleOf(paths);
  const names = paths.map(baseName);
  if (names.some((n) => /\.strata\.zip$/i.test(n))) {
    if (paths.length === 1) return { kind: 'session', title };
    return {
      kind: 'unknown',
      message: `${listed(paths)}: a saved session (.strata.zip) is opened on its own; drop it without other files.`,
    };
  }
  const hasConfig = names.includes('config.json');
  // A pickle beside config.json goes to the model importer too, which says how to convert it.
  const weights = (n: string) =>
    /\.safetensors$/i.test(n) || n === INDEX_FILE || PICKLE_WEIGHTS.test(n);
  if (hasConfig && names.some(weights)) return { kind: 'model', title };
  const pickle = paths.find((p) => PICKLE_WEIGHTS.test(p));
  if (pickle && names.every((n) => PICKLE_WEIGHTS.test(n)))
    return { kind: 'unknown', message: pickleWeightsMessage(pickle) };
  if (!hasConfig && names.every((n) => ACTIVATIONS.test(n))) return { kind: 'activations', title };
  if (names.every((n) => IDX.test(n))) return { kind: 'dataset', format: 'idx', title };
  if (paths.length === 1) {
    for (const [pattern, format] of SINGLE_FILE_FORMATS)
      if (pattern.test(names[0])) return { kind: 'dataset', format, title: names[0] };
  }
  const same = SINGLE_FILE_FORMATS.find(([pattern]) => names.every((n) => pattern.test(n)));
  if (same)
    return {
      kind: 'unknown',
      message: `${listed(paths)}: ${paths.length} ${same[1].toUpperCase()} files; drop one at a time (Strata splits a dataset into train and test itself).`,
    };
  if (names.some((n) => IMAGE.test(n))) {
    // The engine checks the layout and names any stray file.
    return { kind: 'dataset', format: 'images', title };
  }
  if (hasConfig)
    return {
      kind: 'unknown',
      message: `${listed(paths)}: a config.json without weights; a model needs its model.safetensors beside it. ${ACCEPTED}`,
    };
  return {
    kind: 'unknown',
    message: `${listed(paths)}: not a dataset, model or activations file Strata can read. ${ACCEPTED}`,
  };
}
