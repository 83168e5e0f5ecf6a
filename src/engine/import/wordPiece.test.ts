import { describe, expect, it } from 'vitest';
import { basicTokens, encodeWordPiece, readWordPieceTokenizer } from './wordPiece';

// Ids from transformers' BertTokenizer(vocab.txt, do_lower_case=True) on the same vocabulary,
// padding='max_length', max_length=10, truncation=True (transformers 5.18).
const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'the',
  'movie',
  'was',
  'great',
  '!',
  'un',
  '##believ',
  '##able',
  '##ly',
  'bad',
  ',',
  'it',
  "'",
  's',
  'good',
  'cafe',
  'na',
  '##ive',
  '.',
];
const CASES: [string, number[]][] = [
  ['The movie was GREAT!', [2, 4, 5, 6, 7, 8, 3, 0, 0, 0]],
  ["unbelievably bad, it's good", [2, 1, 13, 14, 15, 16, 17, 18, 3, 0]],
  ['Café naïve.', [2, 19, 20, 21, 22, 3, 0, 0, 0, 0]],
  ['unknownword the', [2, 1, 4, 3, 0, 0, 0, 0, 0, 0]],
  ['the   movie\twas\nbad', [2, 4, 5, 6, 13, 3, 0, 0, 0, 0]],
];
const bytes = (text: string) => new TextEncoder().encode(text);

describe('WordPiece', () => {
  const fromTxt = readWordPieceTokenizer(bytes(VOCAB.join('\n') + '\n'), 'vocab.txt');
  const fromJson = readWordPieceTokenizer(
    bytes(
      JSON.stringify({
        normalizer: { type: 'BertNormalizer', lowercase: true, strip_accents: null },
        model: {
          type: 'WordPiece',
          unk_token: '[UNK]',
          continuing_subword_prefix: '##',
          max_input_chars_per_word: 100,
          vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])),
        },
      }),
    ),
    'tokenizer.json',
  );

  it.each(CASES)('encodes %j as transformers does', (text, ids) => {
    expect(encodeWordPiece(fromTxt, text, 10)).toEqual(ids);
    expect(encodeWordPiece(fromJson, text, 10)).toEqual(ids);
  });

  it('splits punctuation and truncates before the specials', () => {
    expect(basicTokens(fromTxt, "It's (ok).")).toEqual(['it', "'", 's', '(', 'ok', ')', '.']);
    expect(encodeWordPiece(fromTxt, 'the movie was great', 4)).toEqual([2, 4, 5, 3]);
    expect(fromTxt.ids).toEqual({ unk: 1, cls: 2, sep: 3, pad: 0 });
    expect(fromTxt.size).toBe(VOCAB.length);
  });

  it('names the file and what was expected', () => {
    expect(() => readWordPieceTokenizer(new Uint8Array([0xff, 0xfe]), 'v.txt')).toThrow(
      'v.txt: not valid UTF-8 text',
    );
    expect(() =>
      readWordPieceTokenizer(bytes('{"model": {"type": "WordPiece", "vocab": []}}'), 't.json'),
    ).toThrow('t.json: "model.vocab" is not an object {token: id}');
    expect(() =>
      readWordPieceTokenizer(
        bytes('{"model": {"type": "WordPiece", "vocab": {"a": -1}}}'),
        't.json',
      ),
    ).toThrow('t.json: "model.vocab" gives "a" the id -1, expected an integer ≥ 0');
  });
});
