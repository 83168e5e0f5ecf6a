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
}
