import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECODER_FIXTURES } from '../decoder/fixtures/decoderCases';
import { readHfTokenizer } from './hfTokenizer';

const FOLDER = `${DECODER_FIXTURES}tokenizers/`;

interface Expected {
  texts: string[];
  pad_token_id: number;
  ids: number[][];
  batches: {
    padding_side: 'left' | 'right';
    max_length: number | null;
    input_ids: number[][];
    attention_mask: number[][];
  }[];
}

function open(name: string) {
  const read = (file: string) => readFileSync(`${FOLDER}${name}/${file}`, 'utf8');
  const tokenizer = readHfTokenizer(read('tokenizer.json'), `${name}/tokenizer.json`, {
    bytes: read('tokenizer_config.json'),
    source: `${name}/tokenizer_config.json`,
  });
  return { tokenizer, expected: JSON.parse(read('expected.json')) as Expected };
}

function rows(flat: ArrayLike<number>, n: number, t: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(flat).slice(i * t, (i + 1) * t));
}

describe.each([
  ['bpe-bytelevel', 'BPE (byte-level)'],
  ['llama-bytefallback', 'BPE (byte fallback)'],
  ['wordlevel', 'WordLevel'],
])('readHfTokenizer on %s', (name, kind) => {
  const { tokenizer, expected } = open(name);

  it('names its kind', () => {
    expect(tokenizer.kind).toBe(kind);
  });

  it('encodes ASCII, accents, CJK, emoji, spaces and newlines as transformers does', () => {
    expected.texts.forEach((text, i) =>
      expect(tokenizer.encode(text), text).toEqual(expected.ids[i]),
    );
  });

  // The texts' own characters back from transformers' ids, special tokens (Llama's BOS) skipped.
  it.skipIf(name === 'wordlevel')('decodes the ids transformers made back to the texts', () => {
    expected.texts.slice(0, 5).forEach((text, i) => {
      expect(tokenizer.decode(expected.ids[i]), text).toBe(text);
    });
  });

  it.each([0, 1, 2, 3])('pads and truncates batch %i as transformers does', (b) => {
    const batch = expected.batches[b];
    const out = tokenizer.encodeBatch(expected.texts, {
      paddingSide: batch.padding_side,
      maxLength: batch.max_length ?? undefined,
    });
    expect(out.n).toBe(expected.texts.length);
    expect(rows(out.ids, out.n, out.t)).toEqual(batch.input_ids);
    expect(rows(out.mask, out.n, out.t)).toEqual(batch.attention_mask);
    const long = expected.ids.filter(
      (ids) => batch.max_length !== null && ids.length > batch.max_length,
    );
    expect(out.truncated).toBe(long.length);
  });

  it('pads with the id transformers pads with', () => {
    expect(tokenizer.padTokenId).toBe(expected.pad_token_id);
  });
});

describe('readHfTokenizer errors', () => {
  const good = readFileSync(`${FOLDER}wordlevel/tokenizer.json`, 'utf8');

  it('names the file when it is not JSON', () => {
    expect(() => readHfTokenizer('{"model": ', 'm/tokenizer.json')).toThrow(
      /m\/tokenizer\.json: not valid JSON/,
    );
  });

  it('names the field of a model type it cannot run', () => {
    const spec = JSON.parse(good);
    spec.model.type = 'Charformer';
    expect(() => readHfTokenizer(JSON.stringify(spec), 'm/tokenizer.json')).toThrow(
      'm/tokenizer.json: model.type is "Charformer", expected one of BPE, WordPiece, Unigram, WordLevel',
    );
  });

  it('names the file of a part the library does not run', () => {
    const spec = JSON.parse(good);
    spec.normalizer = { type: 'Nope' };
    expect(() => readHfTokenizer(JSON.stringify(spec), 'm/tokenizer.json')).toThrow(
      'm/tokenizer.json: cannot be read (Unknown Normalizer type: Nope)',
    );
  });

  it('names a missing vocabulary and a missing model', () => {
    const spec = JSON.parse(good);
    delete spec.model.vocab;
    expect(() => readHfTokenizer(JSON.stringify(spec), 'm/tokenizer.json')).toThrow(
      'm/tokenizer.json: model.vocab is missing',
    );
    expect(() => readHfTokenizer('{"version": "1.0"}', 'm/tokenizer.json')).toThrow(
      'm/tokenizer.json: no "model" object',
    );
  });

  it('names tokenizer_config.json when its pad token is not in the vocabulary', () => {
    const config = { bytes: '{"pad_token": "<nope>"}', source: 'm/tokenizer_config.json' };
    expect(() => readHfTokenizer(good, 'm/tokenizer.json', config)).toThrow(
      'm/tokenizer_config.json: pad_token "<nope>" is not in the vocabulary of m/tokenizer.json',
    );
  });

  it('refuses a max length with no room for text beside the BOS', () => {
    const { tokenizer } = open('llama-bytefallback');
    expect(() => tokenizer.encodeBatch(['hello'], { maxLength: 1 })).toThrow(/max length 1/);
  });
});
