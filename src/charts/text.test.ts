import { describe, expect, it } from 'vitest';
import { formatCompact, thinnedTicks, truncateLabel, wrapText } from './text';

describe('text helpers', () => {
  it('thins category ticks so labels stay apart, keeping the last when it fits', () => {
    for (const [n, span, gap] of [
      [60, 258, 12],
      [60, 258, 16],
      [7, 300, 40],
      [13, 100, 12],
    ]) {
      const ticks = thinnedTicks(n, span, gap);
      const px = ticks.map((i) => (i * span) / n);
      expect(ticks[0]).toBe(0);
      expect(px.every((p, k) => k === 0 || p - px[k - 1] >= gap - 1e-9)).toBe(true);
    }
    expect(thinnedTicks(7, 700, 20)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(thinnedTicks(10, 100, 30)).toEqual([0, 3, 6, 9]);
    expect(thinnedTicks(0, 100, 10)).toEqual([]);
  });

  it('wraps at spaces within the width and cuts words longer than a line', () => {
    expect(wrapText('Cosine similarity, cls pooling, N = 1000', 20)).toEqual([
      'Cosine similarity,',
      'cls pooling, N =',
      '1000',
    ]);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('formats compact ticks without milli prefixes, and truncates labels with an ellipsis', () => {
    expect([0, 0.5, 12, 999, 2500, 30000].map(formatCompact)).toEqual([
      '0',
      '0.5',
      '12',
      '999',
      '2.5k',
      '30k',
    ]);
    expect(truncateLabel('layer_12', 8)).toBe('layer_12');
    expect(truncateLabel('encoder.layer.12', 8)).toBe('encoder…');
  });
});
