import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import {
  buildVocabulary,
  buildWordTokenizerSpec,
  checkWordTokenizerSpec,
  createWordTokenizer,
  normalizeText,
  splitWords,
  WORD_PATTERN,
  type WordTokenizerSpec,
} from './tokenizer';

const corpus = ['The cat sat.<br />The dog sat!', 'A cat, a DOG; the end'];

function spec(vocab: string[], seqLen: number): WordTokenizerSpec {
  return checkWordTokenizerSpec(
    {
      format: 'strata-word-level',
      version: 1,
      lowercase: true,
      stripHtmlBreaks: true,
      pattern: WORD_PATTERN,
      seqLen,
      vocab,
    },
    'test',
  );
}

describe('word-level tokenizer', () => {
  it('normalises and splits into words and punctuation', () => {
    expect(normalizeText('Great<br /><br />FILM<BR/>really<br>')).toBe('great  film really ');
    expect(splitWords(normalizeText("Don't stop—it's 10/10!! Café ‘it’s’"))).toEqual([
      "don't",
      'stop',
      '—',
      "it's",
      '10',
      '/',
      '10',
      '!',
      '!',
      'café',
      '‘',
      'it’s',
      '’',
    ]);
    expect(splitWords('   ')).toEqual([]);
  });

  it('builds the vocabulary of a tiny corpus as counted by hand', () => {
    // Counts: the 3; a, cat, dog, sat 2 (alphabetical); then !, ",", ".", ";", end 1 (code-unit order).
    const first8 = ['[PAD]', '[UNK]', '[CLS]', 'the', 'a', 'cat', 'dog', 'sat'];
    expect(buildVocabulary(corpus, 8)).toEqual(first8);
    // A larger vocabulary keeps the smaller one's order and adds the rarer tokens after it.
    expect(buildVocabulary(corpus, 13)).toEqual([...first8, '!', ',', '.', ';', 'end']);
    // Fewer distinct tokens than asked for: every token, nothing invented.
    expect(buildVocabulary(corpus, 100)).toHaveLength(3 + 10);
  });

  it('is deterministic: the order of texts does not change the vocabulary', () => {
    const texts = ['b a c', 'c b', 'a d d', 'e f g', 'g f e'];
    const reversed = [...texts].reverse();
    expect(buildVocabulary(reversed, 7)).toEqual(buildVocabulary(texts, 7));
    expect(buildVocabulary(texts, 7)).toEqual(['[PAD]', '[UNK]', '[CLS]', 'a', 'b', 'c', 'd']);
  });

  it('encodes with [CLS], [UNK], truncation and padding', () => {
    const t = createWordTokenizer(spec(buildVocabulary(corpus, 8), 6));
    expect(Array.from(t.encode('The dog ran.'))).toEqual([2, 3, 6, 1, 1, 0]);
    expect(Array.from(t.encode('the the the the the the the'))).toEqual([2, 3, 3, 3, 3, 3]);
    expect(Array.from(t.encode(''))).toEqual([2, 0, 0, 0, 0, 0]);
    const out = new Int32Array(14).fill(-1);
    t.encodeInto('cat sat', out, 4);
    expect(Array.from(out)).toEqual([-1, -1, -1, -1, 2, 5, 7, 0, 0, 0, -1, -1, -1, -1]);
    expect(() => t.encodeInto('cat', out, 10)).toThrow(
      /offset 10 \+ seqLen 6 is past the end of an array of 14/,
    );
  });

  it('round-trips in-vocabulary text: decode(encode(x)) is x', () => {
    const vocab = buildVocabulary(corpus, 13);
    const t = createWordTokenizer(spec(vocab, 32));
    const rng = seedrandom('round-trip');
    for (let trial = 0; trial < 50; trial++) {
      const words = Array.from(
        { length: 1 + Math.floor(rng() * 31) },
        () => vocab[3 + Math.floor(rng() * 10)],
      );
      const text = words.join(' ');
      expect(t.decode(t.encode(text))).toBe(text);
    }
    expect(t.decode(t.encode('The CAT sat.'))).toBe('the cat sat .');
    expect(t.decode(t.encode('the zebra'))).toBe('the [UNK]');
    expect(t.decode([2, 3, 0], { keepSpecial: true })).toBe('[CLS] the [PAD]');
    expect(() => t.decode([2, 99])).toThrow(/id 99 at position 1 is outside the vocabulary of 13/);
  });

  it('builds a full spec that passes its own validation', () => {
    const s = buildWordTokenizerSpec(corpus, { vocabSize: 8, seqLen: 4 });
    expect(s).toMatchObject({
      format: 'strata-word-level',
      version: 1,
      seqLen: 4,
      pattern: WORD_PATTERN,
    });
    expect(checkWordTokenizerSpec(JSON.parse(JSON.stringify(s)), 'x')).toEqual(s);
  });

  it('rejects malformed tokenizer.json with the file and the field', () => {
    const good = buildWordTokenizerSpec(corpus, { vocabSize: 8, seqLen: 4 });
    expect(() =>
      checkWordTokenizerSpec(
        { ...good, vocab: ['[UNK]', '[PAD]', '[CLS]'] },
        'imdb/tokenizer.json',
      ),
    ).toThrow(/imdb\/tokenizer.json: vocab\[0\] is "\[UNK\]", expected "\[PAD\]"/);
    expect(() =>
      checkWordTokenizerSpec({ ...good, vocab: [...good.vocab, 'the'] }, 't.json'),
    ).toThrow(/t.json: vocab\[8\] "the" appears twice/);
    expect(() => checkWordTokenizerSpec({ ...good, seqLen: 0 }, 't.json')).toThrow(
      /seqLen 0, expected an integer ≥ 1/,
    );
    expect(() => checkWordTokenizerSpec({ ...good, pattern: '(' }, 't.json')).toThrow(
      /not a valid regular expression/,
    );
    expect(() => checkWordTokenizerSpec({ ...good, format: 'bpe' }, 't.json')).toThrow(
      /format "bpe"/,
    );
    expect(() => buildVocabulary(corpus, 2)).toThrow(/size 2, expected an integer in \[3, 65536\]/);
  });
});
