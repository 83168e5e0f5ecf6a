import { beforeEach, describe, expect, it } from 'vitest';
import type { DecoderSimilarityRequest, DecoderSimilarityResponse } from '../../engine/apiTypes';
import type { LmSimilarityEngine } from '../engineViews';
import { resetStrata, useStrata } from '../store';
import { initialLensState, useLens, type LanguageModel } from './lensState';
import { lmSimilarityStaleness } from './lmSimilarityCurrency';
import { initialLmSimilarityState, useLmSimilarity } from './lmSimilarityState';
import { abortLmSimilarity, followLmSimilarity, runLmSimilarity } from './runLmSimilarity';
import { SAMPLE_TEXTS, SAMPLE_TEXTS_SOURCE } from './sampleTexts';

const model: LanguageModel = {
  name: 'tiny',
  files: {
    config: { path: 'tiny/config.json', file: new Blob(['{}']) },
    weights: { path: 'tiny/model.safetensors', file: new Blob([]) },
  },
  summary: {
    architecture: 'GPT2LMHeadModel',
    numLayers: 1,
    hiddenSize: 8,
    vocabSize: 10,
    numHeads: 2,
    numKvHeads: 2,
    tiedHead: true,
  },
  maxPositions: 16,
};
const other: LanguageModel = {
  ...model,
  name: 'tiny-b',
  files: { ...model.files, config: { path: 'tiny-b/config.json', file: new Blob(['{}']) } },
};

const response = (v: number): DecoderSimilarityResponse => ({
  report: {
    layers: ['embeddings', 'layer_1'],
    n: 3,
    metrics: {
      cosine: [
        [1, v],
        [v, 1],
      ],
      cka: [
        [1, v / 2],
        [v / 2, 1],
      ],
    },
    notes: {},
    agreement: {},
  },
  facts: { pooling: 'last', rows: 3, realTokens: 9 },
  architecture: 'GPT2LMHeadModel',
  unusedTensors: [],
});

/** An engine that answers each call with the next value, recording the requests. */
function recording(): { engine: LmSimilarityEngine; sent: DecoderSimilarityRequest[] } {
  const sent: DecoderSimilarityRequest[] = [];
  const engine: LmSimilarityEngine = {
    decoderSimilarity: async (request, onProgress) => {
      sent.push(request);
      onProgress?.({ phase: 'hidden states', done: 1, total: 2 });
      return response(sent.length / 10);
    },
  };
  return { engine, sent };
}

const alerts = () => useStrata.getState().ui.alerts.map((a) => `${a.kind}: ${a.text}`);
const stale = () => lmSimilarityStaleness(useLens.getState(), useLmSimilarity.getState());

describe('the layer similarity of the page’s LM', () => {
  beforeEach(() => {
    resetStrata();
    useLens.setState({ ...initialLensState(), model, maxLength: 12, samples: 5 });
    useLmSimilarity.setState(initialLmSimilarityState());
  });

  it('sends the lens’s texts with the pooling, cosine and the chosen CKA, and keeps the result', async () => {
    const { engine, sent } = recording();
    useLmSimilarity.setState({ pooling: 'tokens', cka: 'cka-debiased', seed: 7 });
    await runLmSimilarity(engine);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      source: 'tiny',
      files: model.files,
      text: { texts: [...SAMPLE_TEXTS], source: SAMPLE_TEXTS_SOURCE, maxLength: 12 },
      samples: 5,
      pooling: 'tokens',
      seed: 7,
      metrics: ['cosine', 'cka-debiased'],
    });
    const { result, running } = useLmSimilarity.getState();
    expect(running).toBeNull();
    expect(result?.response).toEqual(response(0.1));
    expect(result?.query).toEqual({
      model: 'tiny',
      compare: null,
      textSource: SAMPLE_TEXTS_SOURCE,
      samples: 5,
      maxLength: 12,
      pooling: 'tokens',
      cka: 'cka-debiased',
      seed: 7,
    });
    expect(stale()).toBeNull();
  });

  it('with a comparison: its own matrices on the same texts, then A × B through versus', async () => {
    const { engine, sent } = recording();
    useLens.setState({ compare: other });
    await runLmSimilarity(engine);
    expect(sent.map((r) => [r.source, r.files, r.versus?.source])).toEqual([
      ['tiny', model.files, undefined],
      ['tiny-b', other.files, undefined],
      ['tiny', model.files, 'tiny-b'],
    ]);
    expect(sent.map((r) => r.text?.texts)).toEqual(Array(3).fill([...SAMPLE_TEXTS]));
    expect(useLmSimilarity.getState().result?.compare).toEqual({
      response: response(0.2),
      across: response(0.3),
    });
    // Another vocabulary: no ids mean the same to both, so no across call.
    useLens.setState({ compare: { ...other, summary: { ...other.summary, vocabSize: 11 } } });
    sent.length = 0;
    await runLmSimilarity(engine);
    expect(sent.map((r) => r.source)).toEqual(['tiny', 'tiny-b']);
    expect(useLmSimilarity.getState().result?.compare?.across).toBeNull();
  });

  it('an error goes to the alert region and Cancel ends with a notice; the heatmaps stay', async () => {
    await runLmSimilarity(recording().engine);
    const kept = useLmSimilarity.getState().result;
    useLmSimilarity.setState({ pooling: 'mean' });
    await runLmSimilarity({
      decoderSimilarity: async () => {
        throw new Error('tiny/tokenizer.json: not valid JSON');
      },
    });
    expect(useLmSimilarity.getState().result).toBe(kept);
    let signal: AbortSignal | undefined;
    const run = runLmSimilarity({
      decoderSimilarity: (_r, _p, s) =>
        new Promise((_, reject) => {
          signal = s;
          s?.addEventListener('abort', () => reject(new Error('stopped')));
        }),
    });
    expect(useLmSimilarity.getState().running?.label).toBe('Layer similarity of tiny');
    abortLmSimilarity();
    await run;
    expect(signal?.aborted).toBe(true);
    expect(useLmSimilarity.getState().result).toBe(kept);
    expect(useLmSimilarity.getState().running).toBeNull();
    expect(alerts()).toEqual([
      'error: Layer similarity of tiny failed: tiny/tokenizer.json: not valid JSON',
      'notice: Layer similarity of tiny cancelled; the heatmaps are unchanged.',
    ]);
    // Out of date, and not updating: Run computes it.
    expect(stale()).toBe('Run to update for mean pooling (out of date: computed for last pooling)');
  });

  it('once on show, a change of pooling marks it out of date and runs it again', async () => {
    await runLmSimilarity(recording().engine);
    let finish: (r: DecoderSimilarityResponse) => void = () => {};
    const sent: DecoderSimilarityRequest[] = [];
    const stop = followLmSimilarity({
      decoderSimilarity: (request) =>
        new Promise((resolve) => {
          sent.push(request);
          finish = resolve;
        }),
    });
    try {
      useLmSimilarity.setState({ pooling: 'tokens' });
      expect(sent.map((r) => r.pooling)).toEqual(['tokens']);
      expect(stale()).toBe(
        'updating… for tokens pooling, seed 0 (out of date: computed for last pooling, no seed)',
      );
      finish(response(0.5));
      await expect.poll(() => useLmSimilarity.getState().running).toBeNull();
      expect(useLmSimilarity.getState().result?.query.pooling).toBe('tokens');
      expect(stale()).toBeNull();
      expect(sent).toHaveLength(1);
      // The lens's samples are the similarity's too.
      useLens.setState({ samples: 3 });
      expect(sent.map((r) => r.samples)).toEqual([5, 3]);
      expect(stale()).toMatch(/^updating… for N = 3 \(out of date: computed for N = 5\)$/);
    } finally {
      stop();
    }
  });
});
