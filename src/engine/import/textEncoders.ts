// The tokenizers a text model reads a user's raw texts with: a built-in model's word-level
// vocabulary, or an imported BERT-family model's WordPiece vocabulary.
import { createWordTokenizer, type WordTokenizerSpec } from '../data/tokenizer';
import type { TextEncoder } from '../data/types';
import { encodeWordPiece, type WordPieceTokenizer } from './wordPiece';

/** Strata's word-level tokenizer of a built-in dataset (`[CLS]` words… `[PAD]`…). */
export function wordTextEncoder(spec: WordTokenizerSpec, name: string): TextEncoder {
  const tokenizer = createWordTokenizer(spec);
  return {
    name,
    seqLen: spec.seqLen,
    encodeInto: (t, out, at) => tokenizer.encodeInto(t, out, at),
  };
}

/** An imported model's WordPiece tokenizer: `[CLS]` pieces… `[SEP]` `[PAD]`…, `seqLen` ids. */
export function wordPieceTextEncoder(tok: WordPieceTokenizer, seqLen: number): TextEncoder {
  return {
    name: tok.file,
    seqLen,
    encodeInto: (text, out, at) => out.set(encodeWordPiece(tok, text, seqLen), at),
  };
}
