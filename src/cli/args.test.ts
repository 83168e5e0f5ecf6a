import { describe, expect, it } from 'vitest';
import { sampleOptions } from './args';

describe('sampleOptions', () => {
  it('defaults to min(1000, test rows), the model’s own pooling and seed 0', () => {
    expect(sampleOptions({}, { testCount: 400 })).toEqual({
      samples: 400,
      pooling: undefined,
      seed: 0,
    });
    expect(sampleOptions({}, { testCount: 5000 }).samples).toBe(1000);
  });

  it('reads --samples, --pooling and --seed', () => {
    expect(
      sampleOptions({ samples: '64', pooling: 'mean', seed: '7' }, { testCount: 100 }),
    ).toEqual({ samples: 64, pooling: 'mean', seed: 7 });
  });

  it('refuses more samples than test rows, an unknown pooling and a negative seed, naming the option', () => {
    expect(() => sampleOptions({ samples: '101' }, { testCount: 100 })).toThrow(
      'strata analyze: --samples 101: expected an integer from 1 to 100',
    );
    expect(() => sampleOptions({ pooling: 'max' }, { testCount: 100 })).toThrow(
      'strata analyze: --pooling max: expected one of cls, mean, tokens',
    );
    expect(() => sampleOptions({ seed: '-1' }, { testCount: 100 })).toThrow(/--seed -1/);
  });
});
