import { describe, expect, it } from 'vitest';
import { lastRealPositions, realPositions, sampleTokenPositions } from './decoderPooling';

// 3 samples of 6 positions: full, right-padded (3 real), left-padded (4 real).
const MASK = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1]);

describe('lastRealPositions', () => {
  it('is the last position with mask 1, for right and left padding alike', () => {
    expect([...lastRealPositions(MASK, 3, 6)]).toEqual([5, 6 + 2, 12 + 5]);
  });

  it('refuses a sample without a real token, naming it', () => {
    const mask = Float32Array.from([1, 1, 0, 0]);
    expect(() => lastRealPositions(mask, 2, 2)).toThrow(
      'decoder pooling: sample 1 has no real token (attention_mask all 0)',
    );
  });
});

describe('sampleTokenPositions', () => {
  it('keeps every real position, in order, when they are at most maxRows', () => {
    const { positions, total } = sampleTokenPositions(MASK, 3, 6, 13, 0);
    expect(total).toBe(13);
    expect([...positions]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]);
    expect([...realPositions(MASK, 3, 6)]).toEqual([...positions]);
  });

  it('draws maxRows distinct real positions, ascending, the same for the same seed', () => {
    const a = sampleTokenPositions(MASK, 3, 6, 5, 7);
    expect(a.total).toBe(13);
    expect(a.positions).toHaveLength(5);
    expect(new Set(a.positions).size).toBe(5);
    expect([...a.positions]).toEqual([...a.positions].sort((x, y) => x - y));
    for (const p of a.positions) expect(MASK[p], `position ${p}`).toBe(1);
    expect([...sampleTokenPositions(MASK, 3, 6, 5, 7).positions]).toEqual([...a.positions]);
    const others = [1, 2, 3, 4].map((s) => sampleTokenPositions(MASK, 3, 6, 5, s).positions.join());
    expect(others.some((o) => o !== a.positions.join())).toBe(true);
  });

  it('is uniform over the real positions and never draws padding', () => {
    // Over 4000 seeds each of the 13 real positions is drawn with probability 5/13: its count is
    // Binomial(4000, 5/13), sd ≈ 30.8; 5 sd either side of 1538.5 fails a biased draw.
    const counts = new Array<number>(18).fill(0);
    const seeds = 4000;
    for (let seed = 0; seed < seeds; seed++)
      for (const p of sampleTokenPositions(MASK, 3, 6, 5, seed).positions) counts[p]++;
    const expected = (seeds * 5) / 13;
    const sd = Math.sqrt(seeds * (5 / 13) * (8 / 13));
    counts.forEach((c, p) => {
      if (MASK[p] === 0) expect(c, `padding ${p}`).toBe(0);
      else expect(Math.abs(c - expected), `position ${p}: ${c}`).toBeLessThan(5 * sd);
    });
  });

  it('refuses a cap below 1 and an input without real tokens', () => {
    expect(() => sampleTokenPositions(MASK, 3, 6, 0, 0)).toThrow(
      'decoder pooling: maxRows 0, expected an integer ≥ 1',
    );
    expect(() => sampleTokenPositions(new Float32Array(4), 2, 2, 4, 0)).toThrow(
      'decoder pooling: no real token in the input',
    );
  });
});
