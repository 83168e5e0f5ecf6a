// The shipped language models load through the decoder loader as GPT-2 checkpoints of the recipe,
// and read held-out reviews as their lens.json says.
import { openAsBlob, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleIndices } from '../../src/engine/data/order';
import { disposeDecoderParams } from '../../src/engine/decoder/decoderWeights';
import { loadDecoder } from '../../src/engine/decoder/loadDecoder';
import { logitLens } from '../../src/engine/decoder/logitLens';
import { initNodeBackend } from '../../src/engine/nodeBackend';
import { lmInput } from './lmData';
import { LM_RECIPE } from './lmRecipe';

const root = resolve(import.meta.dirname, '..', '..');
const ROWS = 24;

describe('the built-in language models', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it.each(['imdb-lm-standard', 'imdb-lm-aligned'])(
    '%s: the recipe GPT-2, and its lens on the first sampled test reviews near lens.json',
    async (name) => {
      const folder = join(root, 'public', 'models', name);
      const { params, unused } = await loadDecoder({
        config: {
          path: `${name}/config.json`,
          file: await openAsBlob(join(folder, 'config.json')),
        },
        weights: {
          path: `${name}/model.safetensors`,
          file: await openAsBlob(join(folder, 'model.safetensors')),
        },
      });
      const c = params.config;
      expect(unused).toEqual([]);
      expect([c.architecture, c.vocabSize, c.numLayers, c.hiddenSize, c.numHeads]).toEqual([
        'GPT2LMHeadModel',
        LM_RECIPE.vocabSize,
        LM_RECIPE.numLayers,
        LM_RECIPE.hiddenSize,
        LM_RECIPE.numHeads,
      ]);
      expect([c.maxPositions, c.tiedHead]).toEqual([LM_RECIPE.positions, true]);
      const x = new Uint16Array(
        gunzipSync(readFileSync(join(root, 'public', 'datasets', 'imdb', 'test-x.u16.gz'))).buffer,
      );
      const test = lmInput({ n: x.length / 128, x, y: new Uint8Array(0) }, 128, c.vocabSize);
      const rows = sampleIndices(test.n, ROWS, `${LM_RECIPE.seed}:lens`);
      const pick = {
        n: ROWS,
        t: 128,
        ids: new Int32Array(ROWS * 128),
        mask: new Float32Array(ROWS * 128),
      };
      rows.forEach((row, r) => {
        pick.ids.set(test.ids.subarray(row * 128, (row + 1) * 128), r * 128);
        pick.mask.set(test.mask.subarray(row * 128, (row + 1) * 128), r * 128);
      });
      const lens = await logitLens(params, pick);
      disposeDecoderParams(params);
      const shipped = JSON.parse(readFileSync(join(folder, 'lens.json'), 'utf8'));
      // 24 of the 500 reviews: the same model, so near the whole sample's figures.
      lens.loss.forEach((l, i) =>
        expect(Math.abs(l - shipped.loss[i]), `loss[${i}]`).toBeLessThan(0.3),
      );
      lens.accuracy.forEach((a, i) =>
        expect(Math.abs(a - shipped.accuracy[i]), `accuracy[${i}]`).toBeLessThan(0.05),
      );
    },
    120_000,
  );
});
