import { describe, expect, it } from 'vitest';
import type { LensResult } from '../../engine/apiTypes';
import { lensAccuracyChart, lensCaption, lensMeasureChart } from './lens';

const lens: LensResult = {
  layers: [0, 1, 2],
  accuracy: [0.25, 0.5, 0.75],
  loss: [4.5, 3.25, 2],
  kl: [1.5, 0.5, 0],
  rank: [9, 3, 1],
  tokens: 12345,
};

describe('logit lens chart data', () => {
  it('one value per layer, layer_0 the embeddings', () => {
    expect(lensAccuracyChart(lens)).toEqual({
      xLabels: ['layer_0', 'layer_1', 'layer_2'],
      series: [{ name: 'next-token accuracy', values: [0.25, 0.5, 0.75] }],
    });
    expect(lensMeasureChart(lens, 'loss')?.series[0].values).toEqual([4.5, 3.25, 2]);
    expect(lensMeasureChart(lens, 'kl')?.series[0]).toEqual({
      name: 'KL(final ‖ layer) (nats)',
      values: [1.5, 0.5, 0],
    });
    expect(lensMeasureChart(lens, 'rank')?.series[0].values).toEqual([9, 3, 1]);
    expect(lensAccuracyChart(null)).toBeNull();
  });

  it('the caption names the model, the texts and the tokens counted', () => {
    expect(
      lensCaption('next-token accuracy', {
        model: 'gpt2',
        textSource: 'a.txt',
        response: { lens },
      }),
    ).toBe('Logit lens: next-token accuracy · gpt2 · a.txt · 12,345 tokens');
    expect(lensCaption('next-token accuracy', null)).toBe(
      'Logit lens: next-token accuracy (not run yet)',
    );
  });
});

describe('logit lens of two language models', () => {
  const other: LensResult = { ...lens, accuracy: [0.1, 0.2, 0.3], loss: [5, 4, 3] };
  const compare = { model: 'lm-a', compare: { model: 'lm-b', lens: other } };

  it('a series per model, named by model, on the same layers', () => {
    expect(lensAccuracyChart(lens, compare)?.series).toEqual([
      { name: 'lm-a', values: [0.25, 0.5, 0.75] },
      { name: 'lm-b', values: [0.1, 0.2, 0.3] },
    ]);
    expect(lensMeasureChart(lens, 'loss', compare)?.series.map((s) => s.values)).toEqual([
      [4.5, 3.25, 2],
      [5, 4, 3],
    ]);
  });

  it('the caption names both models', () => {
    expect(
      lensCaption('next-token accuracy', {
        model: 'lm-a',
        textSource: 'reviews',
        response: { lens },
        compare: { model: 'lm-b' },
      }),
    ).toBe('Logit lens: next-token accuracy · lm-a vs lm-b · reviews · 12,345 tokens');
  });
});
