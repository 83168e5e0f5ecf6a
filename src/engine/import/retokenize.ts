// A text dataset re-encoded for an imported BERT: Strata stores texts as ids of its own word-level
// vocabulary, so each row's words are read back and split into the model's word pieces.
import { CLS_ID, PAD_ID, UNK_ID, type WordTokenizerSpec } from '../data/tokenizer';
import type { Dataset, DataSplit } from '../data/types';
import { basicTokens, frame, wordPieceIds, type WordPieceTokenizer } from './wordPiece';

/** Ids are stored as uint16 (DataSplit.x). */
const MAX_STORED_ID = 65535;

/**
 * Why `tok` cannot encode text for a model with `vocabSize` embeddings and pad id `padTokenId`,
 * or null. Strata masks id 0 as padding (data/batch.ts), so [PAD] must be id 0.
 */
export function wordPieceMismatch(
  tok: WordPieceTokenizer,
  vocabSize: number,
  padTokenId: number,
): string | null {
  if (tok.size > vocabSize)
    return `${tok.file}: the tokenizer has ids up to ${tok.size - 1}, but the model's vocab_size is ${vocabSize}; expected the tokenizer saved with this model`;
  if (tok.size - 1 > MAX_STORED_ID)
    return `${tok.file}: ids up to ${tok.size - 1}, Strata stores token ids below 65536`;
  if (tok.ids.pad !== PAD_ID)
    return `${tok.file}: [PAD] has id ${tok.ids.pad}; Strata masks id ${PAD_ID} as padding, so expected [PAD] = ${PAD_ID}`;
  if (tok.ids.pad !== padTokenId)
    return `${tok.file}: [PAD] has id ${tok.ids.pad} but the model's pad_token_id is ${padTokenId}`;
  return null;
}

function retokenizeSplit(
  split: DataSplit,
  words: WordTokenizerSpec,
  tok: WordPieceTokenizer,
  seqLen: number,
): DataSplit {
  const rowLength = split.n > 0 ? split.x.length / split.n : 0;
  const x = new Uint16Array(split.n * seqLen);
  const cache = new Map<number, number[]>();
  const pieces = (id: number): number[] => {
    let p = cache.get(id);
    if (!p) {
      p = [];
      if (id === UNK_ID) p.push(tok.ids.unk);
      else for (const w of basicTokens(tok, words.vocab[id])) wordPieceIds(tok, w, p);
      cache.set(id, p);
    }
    return p;
  };
  for (let r = 0; r < split.n; r++) {
    const ids: number[] = [];
    for (let k = 0; k < rowLength && ids.length < seqLen; k++) {
      const id = split.x[r * rowLength + k];
      if (id === PAD_ID || id === CLS_ID) continue;
      ids.push(...pieces(id));
    }
    x.set(frame(tok, ids, seqLen), r * seqLen);
  }
  return { n: split.n, x, y: split.y };
}

/**
 * `source` with every row re-encoded as [CLS] word pieces [SEP] [PAD]…, `seqLen` ids long. Words
 * the source vocabulary did not know ([UNK]) stay [UNK]. Throws when `source` is not a text
 * dataset with its word-level tokenizer.
 */
export function retokenizeDataset(
  source: Dataset,
  tok: WordPieceTokenizer,
  seqLen: number,
  name: string,
  title: string,
): Dataset {
  if (source.kind !== 'text' || !source.tokenizer)
    throw new Error(
      `dataset "${source.name}": expected a text dataset with its word-level tokenizer, to re-encode for ${tok.file}`,
    );
  return {
    name,
    title,
    kind: 'text',
    classNames: [...source.classNames],
    inputShape: [seqLen],
    train: retokenizeSplit(source.train, source.tokenizer, tok, seqLen),
    test: retokenizeSplit(source.test, source.tokenizer, tok, seqLen),
  };
}
