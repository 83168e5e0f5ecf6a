/**
 * A word-level tokenizer: lowercase, strip HTML line breaks, split into words and punctuation,
 * look each token up in a fixed vocabulary. The built-in IMDB set uses it, and users' own text goes
 * through the same steps.
 *
 * `tokenizer.json` (format "strata-word-level", version 1) holds everything needed to repeat it:
 * ```json
 * {
 *   "format": "strata-word-level", "version": 1,
 *   "lowercase": true, "stripHtmlBreaks": true,
 *   "pattern": "<WORD_PATTERN>", "seqLen": 128,
 *   "vocab": ["[PAD]", "[UNK]", "[CLS]", "the", ...]
 * }
 * ```
 * A token's id is its index in `vocab`; ids 0, 1, 2 are always `[PAD]`, `[UNK]`, `[CLS]`.
 */

export const PAD_TOKEN = '[PAD]';
export const UNK_TOKEN = '[UNK]';
export const CLS_TOKEN = '[CLS]';
export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;
export const SPECIAL_TOKENS: readonly string[] = [PAD_TOKEN, UNK_TOKEN, CLS_TOKEN];

/**
 * Tokens, matched with the `u` flag on normalised text: a run of letters or digits with optional
 * inner apostrophes (`don't`, `it's`, `10`), or any single other non-space character (`.`, `!`,
 * `-`, `(`). Whitespace separates tokens and is dropped.
 */
export const WORD_PATTERN = "[\\p{L}\\p{N}]+(?:['’][\\p{L}\\p{N}]+)*|[^\\s\\p{L}\\p{N}]";

/** Ids are stored as uint16, so a vocabulary holds at most this many entries. */
export const MAX_VOCAB_SIZE = 65536;

/** The contents of `tokenizer.json`. */
export interface WordTokenizerSpec {
  format: 'strata-word-level';
  version: 1;
  lowercase: boolean;
  /** Replace `<br />`, `<br/>` and `<br>` (any case) with a space before splitting. */
  stripHtmlBreaks: boolean;
  /** Regular expression (source, used with flags `gu`) whose matches are the tokens. */
  pattern: string;
  /** Encoded length: `[CLS]` + at most seqLen - 1 tokens, then `[PAD]` up to seqLen. */
  seqLen: number;
  /** Token strings by id; starts with `[PAD]`, `[UNK]`, `[CLS]`. */
  vocab: string[];
}

export interface WordTokenizer {
  readonly spec: WordTokenizerSpec;
  /** Normalised tokens of a text, before vocabulary lookup and truncation. */
  tokenize(text: string): string[];
  /** `[CLS]` + the first seqLen - 1 tokens' ids (`[UNK]` when out of vocabulary), padded. */
  encode(text: string): Uint16Array;
  /** Same as encode, written into `out` at `offset` (seqLen values); for building big arrays. */
  encodeInto(text: string, out: Uint16Array | Int32Array, offset: number): void;
  /** Token strings joined by single spaces; `[PAD]` and `[CLS]` are left out unless asked. */
  decode(ids: ArrayLike<number>, options?: { keepSpecial?: boolean }): string;
}

const HTML_BREAK = /<br\s*\/?>/gi;

/** Lowercases (locale-independent) and replaces HTML line breaks with spaces. */
export function normalizeText(
  text: string,
  options: Pick<WordTokenizerSpec, 'lowercase' | 'stripHtmlBreaks'> = {
    lowercase: true,
    stripHtmlBreaks: true,
  },
): string {
  let t = options.stripHtmlBreaks ? text.replace(HTML_BREAK, ' ') : text;
  if (options.lowercase) t = t.toLowerCase();
  return t;
}

/** Splits normalised text into tokens with {@link WORD_PATTERN} (or another pattern). */
export function splitWords(normalized: string, pattern: string = WORD_PATTERN): string[] {
  return normalized.match(new RegExp(pattern, 'gu')) ?? [];
}

/**
 * The `size` most frequent tokens of `texts` after the three special tokens. Frequency is counted
 * over every token of every text (no truncation); ties are broken by code-unit order of the token
 * (`"a" < "b"`), so the result depends only on the texts.
 */
export function buildVocabulary(texts: Iterable<string>, size: number): string[] {
  if (!Number.isInteger(size) || size < SPECIAL_TOKENS.length || size > MAX_VOCAB_SIZE) {
    throw new Error(
      `buildVocabulary: size ${size}, expected an integer in [${SPECIAL_TOKENS.length}, ${MAX_VOCAB_SIZE}]`,
    );
  }
  const counts = new Map<string, number>();
  const re = new RegExp(WORD_PATTERN, 'gu');
  for (const text of texts) {
    for (const token of normalizeText(text).match(re) ?? []) {
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
  const ranked = [...counts].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  const words = ranked.slice(0, size - SPECIAL_TOKENS.length).map(([w]) => w);
  return [...SPECIAL_TOKENS, ...words];
}

/** A tokenizer spec with the default normalisation and pattern, its vocabulary built from `texts`. */
export function buildWordTokenizerSpec(
  texts: Iterable<string>,
  options: { vocabSize: number; seqLen: number },
): WordTokenizerSpec {
  return checkWordTokenizerSpec(
    {
      format: 'strata-word-level',
      version: 1,
      lowercase: true,
      stripHtmlBreaks: true,
      pattern: WORD_PATTERN,
      seqLen: options.seqLen,
      vocab: buildVocabulary(texts, options.vocabSize),
    },
    'buildWordTokenizerSpec',
  );
}

/** Validates a parsed `tokenizer.json`; `source` names the file in errors. */
export function checkWordTokenizerSpec(json: unknown, source: string): WordTokenizerSpec {
  function fail(what: string): never {
    throw new Error(`${source}: ${what}`);
  }
  if (typeof json !== 'object' || json === null) fail('expected a JSON object');
  const s = json as Record<string, unknown>;
  if (s.format !== 'strata-word-level')
    fail(`format ${JSON.stringify(s.format)}, expected "strata-word-level"`);
  if (s.version !== 1) fail(`version ${JSON.stringify(s.version)}, expected 1`);
  if (typeof s.lowercase !== 'boolean') fail('"lowercase" must be true or false');
  if (typeof s.stripHtmlBreaks !== 'boolean') fail('"stripHtmlBreaks" must be true or false');
  if (typeof s.pattern !== 'string' || s.pattern === '')
    fail('"pattern" must be a non-empty string');
  try {
    new RegExp(s.pattern as string, 'gu');
  } catch (e) {
    fail(`"pattern" is not a valid regular expression (${(e as Error).message})`);
  }
  if (!Number.isInteger(s.seqLen) || (s.seqLen as number) < 1)
    fail(`seqLen ${String(s.seqLen)}, expected an integer ≥ 1`);
  const vocab = s.vocab;
  if (!Array.isArray(vocab) || !vocab.every((w) => typeof w === 'string'))
    fail('"vocab" must be an array of strings');
  const v = vocab as string[];
  if (v.length < SPECIAL_TOKENS.length || v.length > MAX_VOCAB_SIZE) {
    fail(`vocab has ${v.length} entries, expected ${SPECIAL_TOKENS.length} to ${MAX_VOCAB_SIZE}`);
  }
  SPECIAL_TOKENS.forEach((t, i) => {
    if (v[i] !== t) fail(`vocab[${i}] is ${JSON.stringify(v[i])}, expected ${JSON.stringify(t)}`);
  });
  const seen = new Set<string>();
  v.forEach((w, i) => {
    if (seen.has(w)) fail(`vocab[${i}] ${JSON.stringify(w)} appears twice`);
    seen.add(w);
  });
  return s as unknown as WordTokenizerSpec;
}

/** A tokenizer over a validated spec. */
export function createWordTokenizer(spec: WordTokenizerSpec): WordTokenizer {
  const ids = new Map<string, number>();
  spec.vocab.forEach((w, i) => ids.set(w, i));
  const { seqLen, vocab } = spec;

  const tokenize = (text: string): string[] => splitWords(normalizeText(text, spec), spec.pattern);

  const encodeInto = (text: string, out: Uint16Array | Int32Array, offset: number): void => {
    if (offset < 0 || offset + seqLen > out.length) {
      throw new Error(
        `encodeInto: offset ${offset} + seqLen ${seqLen} is past the end of an array of ${out.length}`,
      );
    }
    out[offset] = CLS_ID;
    let k = 1;
    // Stop matching once the row is full: reviews run to thousands of tokens.
    const re = new RegExp(spec.pattern, 'gu');
    const normalized = normalizeText(text, spec);
    for (let m = re.exec(normalized); m !== null && k < seqLen; m = re.exec(normalized)) {
      out[offset + k++] = ids.get(m[0]) ?? UNK_ID;
    }
    out.fill(PAD_ID, offset + k, offset + seqLen);
  };

  return {
    spec,
    tokenize,
    encodeInto,
    encode(text) {
      const out = new Uint16Array(seqLen);
      encodeInto(text, out, 0);
      return out;
    },
    decode(idList, options = {}) {
      const words: string[] = [];
      for (let i = 0; i < idList.length; i++) {
        const id = idList[i];
        if (!Number.isInteger(id) || id < 0 || id >= vocab.length) {
          throw new Error(
            `decode: id ${id} at position ${i} is outside the vocabulary of ${vocab.length}`,
          );
        }
        if (!options.keepSpecial && (id === PAD_ID || id === CLS_ID)) continue;
        words.push(vocab[id]);
      }
      return words.join(' ');
    },
  };
}
