// BERT's tokenizer (WordPiece, Devlin et al. 2019), read from a dropped vocab.txt or tokenizer.json,
// as transformers' BertTokenizer runs it: clean, lowercase and strip accents (uncased models), split
// on whitespace and punctuation, then greedy longest-match-first word pieces with the "##" prefix.
import { FileFormatError } from '../io/fileFormatError';

export interface WordPieceTokenizer {
  /** Where it was read from, for messages. */
  file: string;
  /** Token → id. */
  vocab: Map<string, number>;
  /** Largest id + 1. */
  size: number;
  lowercase: boolean;
  stripAccents: boolean;
  prefix: string;
  maxCharsPerWord: number;
  ids: { unk: number; cls: number; sep: number; pad: number };
}

const SPECIALS = { unk: '[UNK]', cls: '[CLS]', sep: '[SEP]', pad: '[PAD]' } as const;

function finish(
  file: string,
  vocab: Map<string, number>,
  options: Partial<
    Pick<WordPieceTokenizer, 'lowercase' | 'stripAccents' | 'prefix' | 'maxCharsPerWord'>
  > & {
    unkToken?: string;
  },
): WordPieceTokenizer {
  const id = (token: string) => {
    const v = vocab.get(token);
    if (v === undefined)
      throw new FileFormatError(
        file,
        `no ${token} token in the vocabulary, expected BERT's special tokens`,
      );
    return v;
  };
  const lowercase = options.lowercase ?? true;
  return {
    file,
    vocab,
    size: Math.max(...vocab.values()) + 1,
    lowercase,
    stripAccents: options.stripAccents ?? lowercase,
    prefix: options.prefix ?? '##',
    maxCharsPerWord: options.maxCharsPerWord ?? 100,
    ids: {
      unk: id(options.unkToken ?? SPECIALS.unk),
      cls: id(SPECIALS.cls),
      sep: id(SPECIALS.sep),
      pad: id(SPECIALS.pad),
    },
  };
}

/**
 * Reads vocab.txt (one token per line, id = line number; lowercasing assumed, as BertTokenizer's
 * default) or a Hugging Face tokenizer.json whose model is WordPiece. Errors name the file, the
 * place and what was expected.
 */
export function readWordPieceTokenizer(bytes: Uint8Array, file: string): WordPieceTokenizer {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileFormatError(file, 'not valid UTF-8 text');
  }
  if (file.toLowerCase().endsWith('.txt')) {
    const lines = text.split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    if (lines.length === 0) throw new FileFormatError(file, 'no tokens, expected one per line');
    const vocab = new Map<string, number>();
    lines.forEach((t, i) => {
      if (!vocab.has(t)) vocab.set(t, i);
    });
    return finish(file, vocab, {});
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FileFormatError(file, `not valid JSON (${(e as Error).message})`);
  }
  const model = (json as { model?: Record<string, unknown> }).model;
  if (!model || typeof model !== 'object')
    throw new FileFormatError(file, 'no "model" key, expected a Hugging Face tokenizer.json');
  if (model.type !== 'WordPiece')
    throw new FileFormatError(
      file,
      `"model.type" is ${JSON.stringify(model.type)}, expected "WordPiece" (BERT's tokenizer)`,
    );
  const raw = model.vocab;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new FileFormatError(file, '"model.vocab" is not an object {token: id}');
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(raw)) {
    if (!Number.isInteger(id) || (id as number) < 0)
      throw new FileFormatError(
        file,
        `"model.vocab" gives ${JSON.stringify(token)} the id ${JSON.stringify(id)}, expected an integer ≥ 0`,
      );
    vocab.set(token, id as number);
  }
  if (vocab.size === 0) throw new FileFormatError(file, '"model.vocab" is empty');
  const normalizer = (json as { normalizer?: Record<string, unknown> | null }).normalizer ?? {};
  const lowercase = normalizer.lowercase === undefined ? true : normalizer.lowercase === true;
  const strip = normalizer.strip_accents;
  return finish(file, vocab, {
    lowercase,
    stripAccents: strip === null || strip === undefined ? lowercase : strip === true,
    prefix:
      typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '##',
    maxCharsPerWord:
      typeof model.max_input_chars_per_word === 'number' ? model.max_input_chars_per_word : 100,
    unkToken: typeof model.unk_token === 'string' ? model.unk_token : undefined,
  });
}

const PUNCTUATION = /[\p{P}!-/:-@[-`{-~]/u;
const CONTROL = /[\p{Cc}\p{Cf}]/u;

/** BasicTokenizer: words and punctuation marks of `text`, normalised as the tokenizer says. */
export function basicTokens(tok: WordPieceTokenizer, text: string): string[] {
  let t = '';
  for (const ch of text) {
    if (ch === '\u0000' || ch === '\ufffd') continue;
    t += /\s/u.test(ch) ? ' ' : CONTROL.test(ch) ? '' : ch;
  }
  if (tok.lowercase) t = t.toLowerCase();
  if (tok.stripAccents) t = t.normalize('NFD').replace(/\p{Mn}/gu, '');
  const out: string[] = [];
  for (const word of t.split(' ')) {
    let current = '';
    for (const ch of word) {
      if (PUNCTUATION.test(ch)) {
        if (current) out.push(current);
        out.push(ch);
        current = '';
      } else current += ch;
    }
    if (current) out.push(current);
  }
  return out;
}

/** Word pieces of one word, greedy longest-match-first; the whole word is [UNK] if any part is unknown. */
export function wordPieceIds(tok: WordPieceTokenizer, word: string, out: number[]): void {
  const chars = [...word];
  if (chars.length > tok.maxCharsPerWord) {
    out.push(tok.ids.unk);
    return;
  }
  const pieces: number[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = chars.length;
    let found: number | undefined;
    while (start < end) {
      const piece = (start > 0 ? tok.prefix : '') + chars.slice(start, end).join('');
      found = tok.vocab.get(piece);
      if (found !== undefined) break;
      end--;
    }
    if (found === undefined) {
      out.push(tok.ids.unk);
      return;
    }
    pieces.push(found);
    start = end;
  }
  out.push(...pieces);
}

/** [CLS] + word pieces of `text` + [SEP], truncated to `seqLen` and padded with [PAD]. */
export function encodeWordPiece(tok: WordPieceTokenizer, text: string, seqLen: number): number[] {
  const ids: number[] = [];
  for (const word of basicTokens(tok, text)) wordPieceIds(tok, word, ids);
  return frame(tok, ids, seqLen);
}

/** [CLS] ids [SEP] [PAD]…, exactly `seqLen` long (BERT truncates before adding the specials). */
export function frame(tok: WordPieceTokenizer, ids: readonly number[], seqLen: number): number[] {
  const body = ids.slice(0, Math.max(0, seqLen - 2));
  const out = [tok.ids.cls, ...body, tok.ids.sep];
  while (out.length < seqLen) out.push(tok.ids.pad);
  return out;
}
