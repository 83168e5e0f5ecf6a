import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetStrata, useStrata } from '../store';
import { BUILTIN_LMS, loadBuiltinLm, openBuiltinLm, type AssetReader } from './builtinLms';
import { initialLensState, useLens } from './lensState';

// The page's public/ folder read from disk, as the page fetches it from its own origin.
const fromDisk: AssetReader = async (path) => new Uint8Array(await readFile(`public/${path}`));

describe('built-in language models', () => {
  beforeEach(() => {
    resetStrata();
    useLens.setState(initialLensState());
  });

  it('reads a built-in LM as a dropped folder is reviewed, with lens.json’s held-out reviews', async () => {
    const lens = JSON.parse(await readFile('public/models/imdb-lm-aligned/lens.json', 'utf8'));
    const model = await loadBuiltinLm('imdb-lm-aligned', fromDisk);
    expect(model.name).toBe('imdb-lm-aligned');
    expect(model.builtin).toBe('imdb-lm-aligned');
    expect(model.summary).toMatchObject({
      architecture: 'GPT2LMHeadModel',
      numLayers: 4,
      hiddenSize: 64,
      vocabSize: 1024,
      tokenizer: { kind: 'WordLevel', vocabSize: 1024 },
    });
    expect(model.defaultIds?.n).toBe(lens.rows);
    const [ids, mask] = model.defaultIds!.arrays;
    expect(ids.shape).toEqual([lens.rows, 128]);
    expect(Math.max(...ids.data)).toBeLessThan(1024);
    // lens.json counts the predicted tokens: every unmasked one but each review's first.
    const real = [...mask.data].reduce((a, b) => a + b, 0);
    expect(real - lens.rows).toBe(lens.tokens);
  }, 60_000);

  it('opens one as the page’s LM and the other as its comparison; a missing file keeps the page', async () => {
    expect(BUILTIN_LMS.map((m) => m.id)).toEqual(['imdb-lm-standard', 'imdb-lm-aligned']);
    await openBuiltinLm('imdb-lm-aligned', 'main', fromDisk);
    await openBuiltinLm('imdb-lm-standard', 'compare', fromDisk);
    expect(useLens.getState().model?.name).toBe('imdb-lm-aligned');
    expect(useLens.getState().compare?.name).toBe('imdb-lm-standard');
    const kept = useLens.getState().model;
    await openBuiltinLm('imdb-lm-standard', 'main', async (path) => {
      if (path.endsWith('lens.json')) throw new Error('HTTP 404');
      return fromDisk(path);
    });
    expect(useLens.getState().model).toBe(kept);
    expect(useStrata.getState().ui.alerts.map((a) => a.text)).toEqual([
      'Language model not opened: models/imdb-lm-standard/lens.json: HTTP 404',
    ]);
    await openBuiltinLm(null, 'main');
    expect(useLens.getState()).toMatchObject({ model: null, compare: null });
  }, 60_000);
});
