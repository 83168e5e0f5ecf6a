import { beforeEach, describe, expect, it } from 'vitest';
import type { LensRequest, LensResponse } from '../../engine/apiTypes';
import type { LensEngine } from '../engineViews';
import { resetStrata, useStrata } from '../store';
import { initialLensState, useLens, type LanguageModel } from './lensState';
import { abortLens, runLens } from './runLens';
import { SAMPLE_TEXTS, SAMPLE_TEXTS_SOURCE } from './sampleTexts';

const model: LanguageModel = {
  name: 'tiny',
  files: {
    config: { path: 'tiny/config.json', file: new Blob(['{}']) },
    weights: { path: 'tiny/model.safetensors', file: new Blob([]) },
  },
  summary: {
    architecture: 'GPT2LMHeadModel',
    numLayers: 2,
    hiddenSize: 8,
    vocabSize: 10,
    numHeads: 2,
    numKvHeads: 2,
    tiedHead: true,
  },
  maxPositions: 16,
};

const response = (tokens: number): LensResponse => ({
  architecture: 'GPT2LMHeadModel',
  unusedTensors: [],
  lens: {
    layers: [0, 1, 2],
    accuracy: [0.1, 0.2, 0.3],
    loss: [3, 2, 1],
    kl: [2, 1, 0],
    rank: [5, 2, 1],
    tokens,
  },
});

const alerts = () => useStrata.getState().ui.alerts.map((a) => `${a.kind}: ${a.text}`);

describe('running the logit lens', () => {
  beforeEach(() => {
    resetStrata();
    useLens.setState({ ...initialLensState(), model });
  });

  it('sends the built-in texts with the max length and samples, and keeps the result', async () => {
    const sent: LensRequest[] = [];
    const engine: LensEngine = {
      lens: async (request, onProgress) => {
        sent.push(request);
        onProgress?.({ phase: 'lens', done: 1, total: 2 });
        expect(useLens.getState().running).toMatchObject({ done: 1, total: 2 });
        return response(40);
      },
    };
    useLens.setState({ maxLength: 12, samples: 5 });
    await runLens(engine);
    expect(sent[0].source).toBe('tiny');
    expect(sent[0].samples).toBe(5);
    expect(sent[0].text).toEqual({
      texts: [...SAMPLE_TEXTS],
      source: SAMPLE_TEXTS_SOURCE,
      maxLength: 12,
    });
    expect(useLens.getState().result).toEqual({
      model: 'tiny',
      textSource: SAMPLE_TEXTS_SOURCE,
      maxLength: 12,
      samples: 5,
      response: response(40),
    });
    expect(useLens.getState().running).toBeNull();
  });

  it('an engine error goes to the alert region; the last result stays', async () => {
    useLens.setState({ texts: { source: 'a.txt', texts: ['x y'] } });
    await runLens({ lens: async () => response(7) });
    const kept = useLens.getState().result;
    await runLens({
      lens: async () => {
        throw new Error('a.txt (tokenized by tiny/tokenizer.json): input_ids holds 12');
      },
    });
    expect(useLens.getState().result).toBe(kept);
    expect(alerts()).toEqual([
      'error: Logit lens of tiny failed: a.txt (tokenized by tiny/tokenizer.json): input_ids holds 12',
    ]);
  });

  it('Cancel stops the run with a notice and keeps the chart', async () => {
    await runLens({ lens: async () => response(7) });
    const kept = useLens.getState().result;
    let signal: AbortSignal | undefined;
    const run = runLens({
      lens: (_r, _p, s) =>
        new Promise((_, reject) => {
          signal = s;
          s?.addEventListener('abort', () => reject(new Error('lens: stopped')));
        }),
    });
    abortLens();
    await run;
    expect(signal?.aborted).toBe(true);
    expect(useLens.getState().result).toBe(kept);
    expect(useLens.getState().running).toBeNull();
    expect(alerts()).toEqual(['notice: Logit lens of tiny cancelled; the chart is unchanged.']);
  });

  it('a built-in LM reads its held-out ids; a comparison model reads the same input', async () => {
    const ids = {
      source: 'imdb test reviews (the 2 held out in lens.json)',
      n: 2,
      arrays: [
        {
          name: 'input_ids',
          dtype: 'int32' as const,
          shape: [2, 2],
          data: Int32Array.of(2, 3, 4, 5),
        },
      ],
    };
    const other: LanguageModel = { ...model, name: 'tiny-b', builtin: 'tiny-b', defaultIds: ids };
    useLens.setState({ model: { ...model, builtin: 'tiny', defaultIds: ids }, compare: other });
    const sent: LensRequest[] = [];
    await runLens({
      lens: async (request) => {
        sent.push(request);
        return response(sent.length);
      },
    });
    expect(sent.map((r) => [r.source, r.inputSource, r.files])).toEqual([
      ['tiny', ids.source, model.files],
      ['tiny-b', ids.source, other.files],
    ]);
    expect(sent[1].input).toBe(ids.arrays);
    expect(sent[0].text).toBeUndefined();
    expect(useLens.getState().result).toMatchObject({
      model: 'tiny',
      textSource: ids.source,
      response: response(1),
      compare: { model: 'tiny-b', response: response(2) },
    });
    // A user's texts go to both models.
    useLens.setState({ texts: { source: 'a.txt', texts: ['x y'] } });
    sent.length = 0;
    await runLens({ lens: async (request) => (sent.push(request), response(3)) });
    expect(sent.map((r) => r.text?.source)).toEqual(['a.txt', 'a.txt']);
    expect(sent[1].input).toBeUndefined();
  });

  it('a run on fewer held-out reviews than lens.json holds says how many it read', async () => {
    const ids = {
      source: 'imdb test reviews (the 500 held out in lens.json)',
      n: 500,
      arrays: [
        {
          name: 'input_ids',
          dtype: 'int32' as const,
          shape: [500, 1],
          data: new Int32Array(500),
        },
      ],
    };
    useLens.setState({ model: { ...model, builtin: 'tiny', defaultIds: ids }, samples: 32 });
    const sent: LensRequest[] = [];
    const engine: LensEngine = { lens: async (request) => (sent.push(request), response(9)) };
    await runLens(engine);
    const first32 = 'imdb test reviews (the first 32 of the 500 held out in lens.json)';
    expect(sent[0].inputSource).toBe(first32);
    expect(useLens.getState().result?.textSource).toBe(first32);
    useLens.setState({ samples: 1000 });
    await runLens(engine);
    expect(useLens.getState().result?.textSource).toBe(ids.source);
  });
});
