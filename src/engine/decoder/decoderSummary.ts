// What importModel says of a decoder checkpoint, a plain record (userImportTypes.ts holds it).

/** What importModel says of a decoder checkpoint (ModelImportSummary.decoder). */
export interface DecoderSummary {
  architecture: string;
  numLayers: number;
  hiddenSize: number;
  vocabSize: number;
  numHeads: number;
  numKvHeads: number;
  tiedHead: boolean;
  /** The tokenizer read beside it (kind as hfTokenizer.ts names it), when there is one. */
  tokenizer?: { file: string; kind: string; vocabSize: number };
}
