import { describe, expect, it } from 'vitest';
import { summarize } from './stats';
import { chromiumCheck, ratioCheck, TARGETS, times, valueCheck } from './targets';

describe('ratioCheck', () => {
  const t = (ms: number) => summarize([ms]);

  it('meets an upper bound and gives the margin', () => {
    const c = ratioCheck('x', t(120), t(100), 1.5, 'at most');
    expect(c).toMatchObject({ measured: '1.20×', met: true });
    expect(c.detail).toContain('1.25×');
  });

  it('misses an upper bound by the factor over the limit', () => {
    const c = ratioCheck('x', t(600), t(100), 1.5, 'at most');
    expect(c.met).toBe(false);
    expect(c.detail).toContain('missed by a factor of 4.00×');
  });

  it('checks a lower bound (the slow algorithm over Strata)', () => {
    expect(ratioCheck('x', t(5000), t(100), 10, 'at least').met).toBe(true);
    const c = ratioCheck('x', t(500), t(100), 10, 'at least');
    expect(c.met).toBe(false);
    expect(c.detail).toContain('2.00×');
  });

  it('is unmeasured when a side is missing', () => {
    expect(ratioCheck('x', null, t(1), 2, 'at most').met).toBeNull();
  });
});

describe('valueCheck and times', () => {
  it('compares a value with a limit', () => {
    expect(valueCheck('mem', 900, 1024, 'MB').met).toBe(true);
    expect(valueCheck('mem', 1536, 1024, 'MB').detail).toContain('by 512 MB (1.50×)');
    expect(valueCheck('mem', null, 1024, 'MB').met).toBeNull();
  });

  it('prints ratios with sensible precision', () => {
    expect([times(1.234), times(12.34), times(123.4)]).toEqual(['1.23×', '12.3×', '123×']);
  });
});

describe('the CPU targets', () => {
  const t = (ms: number) => summarize([ms]);

  it('are W1 ≤ 2.5× NumPy, W2 ≤ 3× PyTorch, Chromium within 1.2× of Node', () => {
    expect(TARGETS).toEqual({ w1OverNumPy: 2.5, w2OverTorch: 3, chromiumOverNode: 1.2 });
  });

  it('checks Chromium against Node at 1.2×', () => {
    const met = chromiumCheck('W2', t(110), t(100));
    expect(met).toMatchObject({ target: 'W2 Chromium wasm within 1.2× of Node wasm', met: true });
    expect(chromiumCheck('W2', t(130), t(100)).met).toBe(false);
    expect(chromiumCheck('W2', null, t(100)).met).toBeNull();
  });
});
