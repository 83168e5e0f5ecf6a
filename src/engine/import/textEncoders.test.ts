import { beforeAll, describe, expect, it } from 'vitest';
import { imageView, textView } from '../data/feed';
import { buildWordTokenizerSpec } from '../data/tokenizer';
import type { Dataset } from '../data/types';
import { initNodeBackend } from '../nodeBackend';
import { inputBatch, inputTensors } from '../pipeline/inputs';
import { wordPieceTextEncoder, wordTextEncoder } from './textEncoders';
import { readWordPieceTokenizer } from './wordPiece';

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
];

/** A user's text dataset as registered: raw texts, no ids. */
function userTexts(texts: string[]): Dataset {
  const split = { n: texts.length, x: new Uint16Array(0), y: new Uint8Array(texts.length), texts };
  return {
    name: 'user-reviews',
    title: 'reviews',
    kind: 'text',
    classNames: ['neg', 'pos'],
    inputShape: [],
    train: split,
    test: split,
  };
}

describe("a user's raw texts read by two tokenizers", () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });
  const texts = ['The movie was GREAT!', 'unbelievable bad'];
  const data = userTexts(texts);

  it('the built-in word-level tokenizer: [CLS] word ids, [PAD] = 0, mask 0 on padding', async () => {
    const spec = buildWordTokenizerSpec(['the movie was great', 'the movie was bad'], {
      vocabSize: 16,
      seqLen: 6,
    });
    const id = (w: string) => spec.vocab.indexOf(w);
    const view = textView(data, wordTextEncoder(spec, 'imdb word-level'));
    expect(view.inputShape).toEqual([6]);
    const input = inputBatch(view, view.test, [0, 1]);
    if (input.kind !== 'text') throw new Error('expected text');
    // "unbelievable" is not in the vocabulary: [UNK] = 1. "!" is neither.
    expect(Array.from(await input.ids.data())).toEqual([
      2,
      id('the'),
      id('movie'),
      id('was'),
      id('great'),
      1,
      2,
      1,
      id('bad'),
      0,
      0,
      0,
    ]);
    expect(Array.from(await input.mask.data())).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    inputTensors(input).forEach((t) => t.dispose());
  });

  it("an imported model's WordPiece: [CLS] pieces [SEP] [PAD], as transformers encodes them", async () => {
    const tok = readWordPieceTokenizer(new TextEncoder().encode(VOCAB.join('\n')), 'vocab.txt');
    const view = textView(data, wordPieceTextEncoder(tok, 8));
    const input = inputBatch(view, view.test, [1, 0]);
    if (input.kind !== 'text') throw new Error('expected text');
    // BertTokenizer (lower-cased): "unbelievable" → un ##believ ##able.
    expect(Array.from(await input.ids.data())).toEqual([
      2, 9, 10, 11, 13, 3, 0, 0, 2, 4, 5, 6, 7, 8, 3, 0,
    ]);
    expect(Array.from(await input.mask.data())).toEqual([
      1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0,
    ]);
    inputTensors(input).forEach((t) => t.dispose());
  });

  it('refuses a view of a dataset without raw texts', () => {
    expect(() =>
      textView(
        { ...data, test: { ...data.test, texts: undefined } },
        wordPieceTextEncoder(
          readWordPieceTokenizer(new TextEncoder().encode(VOCAB.join('\n')), 'vocab.txt'),
          8,
        ),
      ),
    ).toThrow(/feed\.ts.*no raw texts/);
  });
});

describe("a user's images read at another model's size", () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('a 2×2 grey row becomes a 4×4 RGB batch, normalised to [−1, 1] in NCHW order', async () => {
    const split = {
      n: 2,
      x: Uint8Array.from([0, 100, 200, 40, 255, 255, 255, 255]),
      y: new Uint8Array(2),
    };
    const data: Dataset = {
      name: 'user-digits',
      title: 'digits',
      kind: 'image',
      classNames: ['a', 'b'],
      inputShape: [2, 2, 1],
      train: split,
      test: split,
    };
    const view = imageView(data, [4, 4, 3]);
    expect(view.inputShape).toEqual([4, 4, 3]);
    expect(view.train.x).toBe(data.train.x); // the same rows, not a copy
    const input = inputBatch(view, view.test, [0, 1]);
    if (input.kind !== 'image') throw new Error('expected image');
    expect(input.pixels.shape).toEqual([2, 3, 4, 4]);
    const v = await input.pixels.data();
    input.pixels.dispose();
    const norm = (x: number) => x / 127.5 - 1;
    // Row 1 of image 0 (hand-worked in resize.test.ts): 50, 58.75, 76.25, 85 in every channel.
    for (const ch of [0, 1, 2])
      [50, 58.75, 76.25, 85].forEach((x, j) => expect(v[ch * 16 + 4 + j]).toBeCloseTo(norm(x), 5));
    expect(Array.from(v.subarray(48)).every((x) => Math.abs(x - 1) < 1e-6)).toBe(true);
  });

  it('a view at the stored size reads the rows as they are', () => {
    const split = { n: 1, x: new Uint8Array(4), y: new Uint8Array(1) };
    const data: Dataset = {
      name: 'u',
      title: 'u',
      kind: 'image',
      classNames: ['a', 'b'],
      inputShape: [2, 2, 1],
      train: split,
      test: split,
    };
    expect(imageView(data, [2, 2, 1]).feed).toBeUndefined();
    expect(imageView(imageView(data, [4, 4, 3]), [2, 2, 1]).feed).toBeUndefined();
  });
});
