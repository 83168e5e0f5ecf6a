import type { WordTokenizerSpec } from './tokenizer';

/** Whether a dataset's rows are images (pixels) or token sequences. */
export type DatasetKind = 'image' | 'text';

/** One split of a dataset: n rows, stored compactly as they come off disk. */
export interface DataSplit {
  /** Number of rows. */
  n: number;
  /**
   * Row-major inputs, n × prod(inputShape) values: uint8 pixels in [H, W, C] order for images,
   * uint16 token ids for text.
   */
  x: Uint8Array | Uint16Array;
  /** Class index of each row, in [0, classNames.length). */
  y: Uint8Array | Int32Array;
  /** A user's text dataset: each row's raw text (x is then empty; a model tokenizes on reading). */
  texts?: string[];
}

/** A labelled classification dataset with a train and a test split. */
export interface Dataset {
  name: string;
  /** Human-readable name, e.g. "Fashion-MNIST". */
  title: string;
  kind: DatasetKind;
  classNames: string[];
  /** Shape of one row: [H, W, C] for images, [T] for text. */
  inputShape: number[];
  train: DataSplit;
  test: DataSplit;
  /** Text datasets: the tokenizer that produced the ids (to encode new text or decode rows). */
  tokenizer?: WordTokenizerSpec;
  /** A view made for one model (feed.ts): how its stored rows become that model's input. */
  feed?: InputFeed;
}

/** A model's tokenizer, run on a user's raw texts when the model reads them (feed.ts). */
export interface TextEncoder {
  /** Which tokenizer (for messages and notes): `imdb word-level`, `vocab.txt`, … */
  name: string;
  /** Ids per row, padding included. */
  seqLen: number;
  /** Writes the seqLen ids of `text` (special tokens and [PAD] = 0 included) at `offset`. */
  encodeInto(text: string, out: Int32Array, offset: number): void;
}

/** How a view's stored rows become one model's input (Dataset.feed). */
export type InputFeed =
  /** Images stored at `stored` = [H, W, C]; the view's inputShape is the model's. */
  { kind: 'image'; stored: [number, number, number] } | { kind: 'text'; encoder: TextEncoder };
