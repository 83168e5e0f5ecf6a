import { describe, expect, it } from 'vitest';
import { lmRunSubject } from './lmRunSubject';

describe('lmRunSubject', () => {
  it('names the export after the run’s model and stamps only what the run read', () => {
    const run = {
      model: 'tiny',
      textSource: 'reviews.txt',
      maxLength: 64,
      samples: 32,
      compare: 'big',
      response: { tokens: 7 },
    };
    expect(lmRunSubject(run)).toEqual({
      languageModel: 'tiny',
      texts: 'reviews.txt',
      maxLength: 64,
      samples: 32,
    });
  });

  it('keeps a null max length (token ids), and the model a caller names', () => {
    const query = { model: 'tiny', textSource: 'held-out reviews', maxLength: null, samples: 8 };
    expect(lmRunSubject({ ...query, model: 'big' })).toEqual({
      languageModel: 'big',
      texts: 'held-out reviews',
      maxLength: null,
      samples: 8,
    });
  });
});
