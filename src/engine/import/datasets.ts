// Users' own datasets: parsed rows (CSV, JSONL, IDX) assembled into Strata's Dataset.
import { seededOrder } from '../data/order';
import {
  buildWordTokenizerSpec,
  createWordTokenizer,
  type WordTokenizerSpec,
} from '../data/tokenizer';
import type { DataSplit, Dataset } from '../data/types';
import type { ImageRows, LabelledRows, TextRows } from './labelledRows';

export { createPixelCsvParser, parsePixelCsv, type PixelCsvOptions } from './pixelCsv';
export { parseTextJsonl, type TextJsonlOptions } from './textJsonl';
export { parseIdxPair, type NamedBytes } from './idxPair';
export type { ImageRows, LabelledRows, TextRows } from './labelledRows';

export interface DatasetFromRowsOptions {
  name: string;
  title?: string;
  /** Text: entries of the word vocabulary built from the train texts (default 8000). */
  vocabSize?: number;
  /** Text: token ids per row, [CLS] included (default 128). */
  seqLen?: number;
  /**
   * Text: encode with this tokenizer (a built-in model's) instead of building one from the train
   * texts, so that model can read the rows; vocabSize and seqLen are then its own.
   */
  tokenizer?: WordTokenizerSpec;
  /**
   * Text: keep each row's raw text and encode nothing (a user's dataset: every text model
   * tokenizes the texts its own way when it reads them, data/feed.ts).
   */
  rawTexts?: boolean;
}

/** Class names in order: numerically when every label is an integer, else by code units. */
export function classNamesOf(labels: Iterable<string>): string[] {
  const names = [...new Set(labels)];
  if (names.every((l) => /^-?\d+$/.test(l))) return names.sort((a, b) => Number(a) - Number(b));
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function classIndices(labels: readonly string[], classNames: string[]): Uint8Array | Int32Array {
  const index = new Map(classNames.map((c, i) => [c, i]));
  const y =
    classNames.length <= 256 ? new Uint8Array(labels.length) : new Int32Array(labels.length);
  labels.forEach((l, i) => (y[i] = index.get(l)!));
  return y;
}

/** Rows `indices` of `rows`, in that order. */
function selectRows<R extends LabelledRows>(rows: R, indices: ArrayLike<number>): R {
  const labels = Array.from(indices, (i) => rows.labels[i]);
  if (rows.kind === 'text') {
    return { ...rows, n: labels.length, labels, texts: Array.from(indices, (i) => rows.texts[i]) };
  }
  const size = rows.inputShape[0] * rows.inputShape[1] * rows.inputShape[2];
  const x = new Uint8Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    x.set(rows.x.subarray(indices[k] * size, (indices[k] + 1) * size), k * size);
  }
  return { ...rows, n: labels.length, labels, x };
}

/**
 * Splits one file's rows into train and test: a seeded shuffle, then the last
 * round(testFraction · n) rows (at least 1, at most n − 1) are the test split.
 */
export function splitRows<R extends LabelledRows>(
  rows: R,
  testFraction: number,
  seed: number | string = 0,
): { train: R; test: R } {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(`splitRows: test fraction ${testFraction}, expected a number in (0, 1)`);
  }
  if (rows.n < 2) throw new Error(`${rows.source}: ${rows.n} row, expected at least 2 to split`);
  const { train, test } = splitIndices(rows.n, testFraction, seed);
  return { train: selectRows(rows, train), test: selectRows(rows, test) };
}

/** The row indices of each split that {@link splitRows} makes (no rows copied). */
export function splitIndices(
  n: number,
  testFraction: number,
  seed: number | string = 0,
): { train: Int32Array; test: Int32Array } {
  const order = seededOrder(n, seed);
  const testCount = Math.min(n - 1, Math.max(1, Math.round(testFraction * n)));
  return { train: order.subarray(0, n - testCount), test: order.subarray(n - testCount) };
}

function imageSplits(train: ImageRows, test: ImageRows, classNames: string[]) {
  const [a, b] = [train.inputShape, test.inputShape];
  if (a.some((d, i) => d !== b[i])) {
    throw new Error(
      `${test.source}: images of shape [${b.join(', ')}], but ${train.source} holds [${a.join(', ')}]`,
    );
  }
  const split = (rows: ImageRows): DataSplit => ({
    n: rows.n,
    x: rows.x,
    y: classIndices(rows.labels, classNames),
  });
  return { inputShape: [...a], train: split(train), test: split(test) };
}

function textSplits(
  train: TextRows,
  test: TextRows,
  classNames: string[],
  options: DatasetFromRowsOptions,
) {
  if (options.rawTexts) {
    const raw = (rows: TextRows): DataSplit => ({
      n: rows.n,
      x: new Uint16Array(0),
      y: classIndices(rows.labels, classNames),
      texts: [...rows.texts],
    });
    return { inputShape: [], train: raw(train), test: raw(test) };
  }
  const spec =
    options.tokenizer ??
    buildWordTokenizerSpec(train.texts, {
      vocabSize: options.vocabSize ?? 8000,
      seqLen: options.seqLen ?? 128,
    });
  const seqLen = spec.seqLen;
  const tokenizer = createWordTokenizer(spec);
  const split = (rows: TextRows): DataSplit => {
    const x = new Uint16Array(rows.n * seqLen); // [N, T]
    rows.texts.forEach((t, i) => tokenizer.encodeInto(t, x, i * seqLen));
    return { n: rows.n, x, y: classIndices(rows.labels, classNames) };
  };
  return { inputShape: [seqLen], train: split(train), test: split(test), tokenizer: spec };
}

/**
 * Assembles parsed train and test rows into a Dataset. Classes are the union of both splits'
 * labels (see {@link classNamesOf}); text gets a word tokenizer built from the train texts.
 * Throws when the splits differ in kind or image shape, or when there is only one class.
 */
export function datasetFromRows(
  train: LabelledRows,
  test: LabelledRows,
  options: DatasetFromRowsOptions,
): Dataset {
  const classNames = classNamesOf([...train.labels, ...test.labels]);
  if (classNames.length < 2) {
    throw new Error(
      `${train.source}: every row has the label ${JSON.stringify(classNames[0])}; a classifier needs at least 2 classes`,
    );
  }
  const base = { name: options.name, title: options.title ?? options.name, classNames };
  if (train.kind === 'image' && test.kind === 'image') {
    return { ...base, kind: 'image', ...imageSplits(train, test, classNames) };
  }
  if (train.kind === 'text' && test.kind === 'text') {
    return { ...base, kind: 'text', ...textSplits(train, test, classNames, options) };
  }
  throw new Error(
    `${test.source}: holds ${test.kind} rows, but ${train.source} holds ${train.kind}`,
  );
}
