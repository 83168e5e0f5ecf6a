// A decoder checkpoint's tokenizer.json (and tokenizer_config.json), run with
// @huggingface/tokenizers: texts in, input_ids and attention_mask out, padded and truncated as
// transformers' tokenizers backend does it.
import { Tokenizer } from '@huggingface/tokenizers';

/** The models @huggingface/tokenizers runs (WordLevel through its plain vocabulary lookup). */
const MODELS = ['BPE', 'WordPiece', 'Unigram', 'WordLevel'];

export type PaddingSide = 'right' | 'left';

/** A padded batch of texts: N rows of T ids, row-major, mask 1 real and 0 padding. */
export interface TokenizedTexts {
  n: number;
  t: number;
  ids: Int32Array;
  mask: Float32Array;
  /** Texts cut at maxLength (their first tokens kept, special tokens counted in). */
  truncated: number;
}

export interface HfTokenizer {
  /** The model and how it meets bytes, e.g. `BPE (byte-level)`, `BPE (byte fallback)`, `WordLevel`. */
  kind: string;
  /** One more than the largest id of the vocabulary and its added tokens. */
  vocabSize: number;
  padTokenId: number;
  /** Where padding goes unless asked: tokenizer_config.json's padding_side, else right. */
  paddingSide: PaddingSide;
  /** The ids of one text with the special tokens tokenizer.json's post-processor adds (a BOS…). */
  encode(text: string): number[];
  /** The text of ids as transformers' decode(ids, skip_special_tokens=True) gives it. */
  decode(ids: readonly number[]): string;
  /**
   * Texts padded to the longest (after truncation to `maxLength` ids, special tokens included,
   * as transformers' `truncation=True, max_length=…`).
   */
  encodeBatch(
    texts: readonly string[],
    options?: { maxLength?: number; paddingSide?: PaddingSide },
  ): TokenizedTexts;
}

function parseJson(bytes: Uint8Array | string, source: string): Record<string, unknown> {
  const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${source}: expected a JSON object`);
  return value as Record<string, unknown>;
}

/** A token's text in tokenizer_config.json: a string or an AddedToken record `{content}`. */
function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (
    value &&
    typeof value === 'object' &&
    typeof (value as { content?: unknown }).content === 'string'
  )
    return (value as { content: string }).content;
  return undefined;
}

// Rust's \w (what the Whitespace pre-tokenizer splits on) is Unicode; @huggingface/tokenizers'
// Whitespace uses JavaScript's ASCII \w and would cut "café" in two. Same split, Unicode classes.
const WORD = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}`;
const UNICODE_WHITESPACE = {
  type: 'Split',
  pattern: { Regex: `[${WORD}]+|[^${WORD}\\s]+` },
  // invert: the matches are the pre-tokens (what Rust's Whitespace keeps).
  invert: true,
};

function unicodeWhitespace(preTokenizer: unknown): unknown {
  if (!preTokenizer || typeof preTokenizer !== 'object') return preTokenizer;
  const p = preTokenizer as { type?: unknown; pretokenizers?: unknown[] };
  if (p.type === 'Whitespace') return UNICODE_WHITESPACE;
  if (p.type === 'Sequence' && Array.isArray(p.pretokenizers))
    return { ...p, pretokenizers: p.pretokenizers.map(unicodeWhitespace) };
  return p;
}

function modelKind(model: Record<string, unknown>, spec: Record<string, unknown>): string {
  const type = model.type as string;
  if (type !== 'BPE') return type;
  if (model.byte_fallback === true) return 'BPE (byte fallback)';
  if (JSON.stringify([spec.pre_tokenizer, spec.decoder]).includes('"ByteLevel"'))
    return 'BPE (byte-level)';
  return 'BPE';
}

/**
 * Reads tokenizer.json (`source` names it in errors) and, when given, tokenizer_config.json (its
 * bos/eos/pad/unk tokens and padding_side). Refuses what @huggingface/tokenizers cannot run, with
 * the file and the field.
 */
export function readHfTokenizer(
  json: Uint8Array | string,
  source: string,
  config?: { bytes: Uint8Array | string; source: string },
): HfTokenizer {
  const spec = parseJson(json, source);
  const model = spec.model as Record<string, unknown> | undefined;
  if (!model || typeof model !== 'object')
    throw new Error(
      `${source}: no "model" object, expected a tokenizer.json of Hugging Face tokenizers`,
    );
  if (typeof model.type !== 'string' || !MODELS.includes(model.type))
    throw new Error(
      `${source}: model.type is ${JSON.stringify(model.type)}, expected one of ${MODELS.join(', ')}`,
    );
  if (typeof model.vocab !== 'object' || model.vocab === null)
    throw new Error(`${source}: model.vocab is missing, expected the ${model.type} vocabulary`);
  const settings = config ? parseJson(config.bytes, config.source) : {};
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(
      { ...spec, pre_tokenizer: unicodeWhitespace(spec.pre_tokenizer) },
      settings,
    );
  } catch (e) {
    throw new Error(`${source}: cannot be read (${(e as Error).message})`);
  }
  const vocab = tokenizer.get_vocab(true);
  let vocabSize = 0;
  for (const id of vocab.values()) vocabSize = Math.max(vocabSize, id + 1);
  const idOf = (key: string): number | undefined => {
    const text = tokenText(settings[key]);
    if (text === undefined) return undefined;
    const id = tokenizer.token_to_id(text);
    if (id === undefined)
      throw new Error(
        `${config?.source ?? source}: ${key} "${text}" is not in the vocabulary of ${source}`,
      );
    return id;
  };
  const padding = spec.padding as { pad_id?: unknown } | null | undefined;
  // GPT-2 style tokenizers have no pad token: pad with eos (the mask hides it either way).
  const padTokenId =
    idOf('pad_token') ??
    (typeof padding?.pad_id === 'number' ? padding.pad_id : undefined) ??
    idOf('eos_token') ??
    0;
  const side = settings.padding_side;
  if (side !== undefined && side !== 'left' && side !== 'right')
    throw new Error(
      `${config?.source}: padding_side is ${JSON.stringify(side)}, expected "left" or "right"`,
    );
  idOf('bos_token');
  idOf('unk_token');
  const encode = (text: string): number[] => tokenizer.encode(text).ids;
  // The special tokens around a text: what the post-processor adds before and after its pieces.
  const bare = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;
  const probe = 'a';
  const [withSpecials, without] = [encode(probe), bare(probe)];
  const at = withSpecials.findIndex((_, i) => without.every((id, k) => withSpecials[i + k] === id));
  const prefix = at < 0 ? 0 : at;
  const suffix = at < 0 ? 0 : withSpecials.length - at - without.length;
  const paddingSide = (side as PaddingSide | undefined) ?? 'right';
  return {
    kind: modelKind(model, spec),
    vocabSize,
    padTokenId,
    paddingSide,
    encode,
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: true }),
    encodeBatch(texts, options = {}) {
      const maxLength = options.maxLength;
      if (maxLength !== undefined && maxLength < prefix + suffix + 1)
        throw new Error(
          `${source}: max length ${maxLength} leaves no room for text beside ${prefix + suffix} special token(s)`,
        );
      let truncated = 0;
      const rows = texts.map((text) => {
        const ids = encode(text);
        if (maxLength === undefined || ids.length <= maxLength) return ids;
        truncated++;
        const keep = maxLength - prefix - suffix;
        return [...ids.slice(0, prefix + keep), ...ids.slice(ids.length - suffix)];
      });
      const n = rows.length;
      const t = Math.max(1, ...rows.map((r) => r.length));
      const ids = new Int32Array(n * t).fill(padTokenId);
      const mask = new Float32Array(n * t);
      const left = (options.paddingSide ?? paddingSide) === 'left';
      rows.forEach((row, i) => {
        const start = i * t + (left ? t - row.length : 0);
        ids.set(row, start);
        mask.fill(1, start, start + row.length);
      });
      return { n, t, ids, mask, truncated };
    },
  };
}
