// The built-in LM's tokenizer.json read by @huggingface/tokenizers gives Strata's imdb ids for
// words in its vocabulary, [UNK] for the rest.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'fflate';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import {
  createWordTokenizer,
  UNK_ID,
  type WordTokenizerSpec,
} from '../../src/engine/data/tokenizer';
import { tokenizerConfigJson, wordLevelTokenizerJson } from './lmData';
import { LM_RECIPE } from './lmRecipe';

const root = resolve(import.meta.dirname, '..', '..');
const imdbSpec = JSON.parse(
  readFileSync(join(root, 'public', 'datasets', 'imdb', 'tokenizer.json'), 'utf8'),
) as WordTokenizerSpec;
const V = LM_RECIPE.vocabSize;

const TEXTS = [
  "This movie was GREAT!<br /><br />I didn't expect it to be so good... 10/10, really.",
  'The acting (by everyone) was terrible; the plot — nonsense. Zyxqwv flibbertigibbet!',
  "It's a film about a man's journey - watch it, don’t miss it.<BR>Bye",
];

describe('the built-in LM tokenizer.json', () => {
  it.each(['imdb-lm-standard', 'imdb-lm-aligned'])(
    '%s: the shipped file is the one the recipe writes',
    (name) => {
      const shipped = JSON.parse(
        readFileSync(join(root, 'public', 'models', name, 'tokenizer.json'), 'utf8'),
      );
      expect(shipped).toEqual(JSON.parse(JSON.stringify(wordLevelTokenizerJson(imdbSpec, V))));
    },
  );

  it("gives Strata's imdb ids (id ≥ V as [UNK]) on sample sentences and on test reviews", () => {
    const config = JSON.parse(
      readFileSync(
        join(root, 'public', 'models', 'imdb-lm-aligned', 'tokenizer_config.json'),
        'utf8',
      ),
    );
    expect(config).toEqual(tokenizerConfigJson(imdbSpec));
    const hf = new Tokenizer(wordLevelTokenizerJson(imdbSpec, V) as never, config);
    const strata = createWordTokenizer(imdbSpec);
    const cut = (id: number) => (id >= V ? UNK_ID : id);
    // The first test reviews, decoded back to text from the shipped ids (words and marks).
    const x = new Uint16Array(
      gunzipSync(readFileSync(join(root, 'public', 'datasets', 'imdb', 'test-x.u16.gz'))).buffer,
    );
    const reviews = Array.from({ length: 20 }, (_, r) =>
      // Without [UNK]: that text would read as the special token, not as "[", "unk", "]".
      strata.decode(
        x.subarray(r * imdbSpec.seqLen, (r + 1) * imdbSpec.seqLen).filter((id) => id !== UNK_ID),
      ),
    );
    let compared = 0;
    for (const text of [...TEXTS, ...reviews]) {
      const want = Array.from(strata.encode(text))
        .filter((id) => id !== 0)
        .map(cut);
      const got = hf.encode(text).ids.slice(0, imdbSpec.seqLen);
      expect(got, text).toEqual(want);
      compared += want.length;
    }
    expect(compared).toBeGreaterThan(1000);
    // Out-of-vocabulary words, and words past the first V entries, read as [UNK].
    expect(hf.encode('flibbertigibbet').ids).toEqual([2, UNK_ID]);
    expect(hf.encode(imdbSpec.vocab[V + 10]).ids).toEqual([2, UNK_ID]);
    expect(hf.encode(imdbSpec.vocab[V - 1]).ids).toEqual([2, V - 1]);
  });
});
