// What each user-dataset parser returns: one file's rows, before classes are numbered.

/** Image rows (uint8 pixels, [H, W, C] row-major) with their raw labels. */
export interface ImageRows {
  kind: 'image';
  /** The file(s) the rows came from, for messages. */
  source: string;
  n: number;
  /** [H, W, C] */
  inputShape: [number, number, number];
  /** n × H·W·C pixels. */
  x: Uint8Array;
  /** Each row's label as written in the file (`"7"`, `"cat"`). */
  labels: string[];
}

/** Text rows with their raw labels. */
export interface TextRows {
  kind: 'text';
  source: string;
  n: number;
  texts: string[];
  labels: string[];
}

export type LabelledRows = ImageRows | TextRows;
