import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExplorerConfig } from './config';
import { analysisRequest, ckaPart, cosinePart, requestKey } from './requests';

const config = (over: Partial<ExplorerConfig> = {}): ExplorerConfig => ({
  ...DEFAULT_CONFIG,
  modelId: 'mnist-aligned',
  dataset: 'mnist',
  ...over,
});
const keys = (c: ExplorerConfig) => {
  const request = analysisRequest(c, 'mnist-aligned');
  return {
    cosine: requestKey({ request: cosinePart(request), revision: 0 }),
    cka: requestKey({ request: ckaPart(request), revision: 0 }),
    whole: requestKey({ request, revision: 0 }),
  };
};

describe('analysis query keys', () => {
  it('a CKA variant change leaves the cosine key as it was and changes the CKA key', () => {
    const before = keys(config());
    for (const ckaMetric of ['cka-debiased', 'cka-minibatch', 'cka-rbf'] as const) {
      const after = keys(config({ ckaMetric }));
      expect(after.cosine).toBe(before.cosine);
      expect(after.cka).not.toBe(before.cka);
    }
  });

  it('the batch size and bandwidth reach the request of their own variant only', () => {
    const linear = keys(config());
    // Linear CKA reads neither: changing them changes no key at all.
    expect(keys(config({ ckaBatchSize: 64, rbfT: 2 }))).toEqual(linear);
    const mb = config({ ckaMetric: 'cka-minibatch', ckaBatchSize: 64 });
    expect(analysisRequest(mb, 'm')).toMatchObject({
      batchSize: 64,
      metrics: ['cosine', 'cka-minibatch'],
    });
    expect(keys(mb).cosine).toBe(linear.cosine);
    expect(keys(mb).cka).not.toBe(keys(config({ ckaMetric: 'cka-minibatch' })).cka);
    const rbf = config({ ckaMetric: 'cka-rbf', rbfT: 2, ckaBatchSize: 64 });
    expect(analysisRequest(rbf, 'm')).toMatchObject({
      rbfT: 2,
      batchSize: DEFAULT_CONFIG.ckaBatchSize,
    });
    expect(keys(rbf).cosine).toBe(linear.cosine);
  });

  it('a change the cosine views draw from changes both keys', () => {
    const before = keys(config());
    for (const over of [{ samples: 500 }, { pooling: 'mean' as const }, { seed: 7 }]) {
      const after = keys(config(over));
      expect(after.cosine).not.toBe(before.cosine);
      expect(after.cka).not.toBe(before.cka);
    }
  });
});
