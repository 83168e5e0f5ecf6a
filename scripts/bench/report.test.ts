import { describe, expect, it } from 'vitest';
import { duration, renderReport } from './report';
import { summarize } from './stats';
import type { BenchResults } from './types';

const results: BenchResults = {
  mode: 'full',
  machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20', tfjs: '4.22.0' },
  workloads: {
    W1: {
      id: 'W1',
      title: 'Similarity',
      ranAt: '2026-01-01T00:00:00.000Z',
      loadBefore: 0.1,
      params: { n: 4 },
      rows: [
        { task: 'cka', impl: 'NumPy (reference)', timing: summarize([100, 110, 90]) },
        { task: 'cka', impl: 'Strata', timing: summarize([300]), facts: { 'a|b': 1 } },
        { task: 'cka', impl: 'Other', note: 'skipped: no torch' },
      ],
      checks: [{ target: 'W1 ≤ 1.5×', measured: '3.00×', met: false, detail: 'missed by 2.00×' }],
      notes: ['a note'],
    },
  },
};

describe('renderReport', () => {
  const md = renderReport(results, { W1: ['**Why.** because'] }, ['preface']);

  it('lists every target with its status, and the workloads not run', () => {
    expect(md).toContain('| W1 ≤ 1.5× | 3.00× | ❌ missed | missed by 2.00× |');
    expect(md).toContain('| W1b, W2, W3, W4, W5, W6, W7 | not run |');
  });

  it('gives medians, ranges and ratios to the reference row of the same task', () => {
    expect(md).toContain(
      '| cka | Strata | **300.0 ms** | 300.0 ms – 300.0 ms (1 run) | 0 % | 3.00× |',
    );
    expect(md).toContain('90.0 ms – 110.0 ms (3 runs)');
    expect(md).toContain('skipped: no torch');
  });

  it('escapes pipes in cells and carries the explanation and notes', () => {
    expect(md).toContain('a\\|b');
    expect(md).toContain('**Why.** because');
    expect(md).toContain('- a note');
  });

  it('prints durations in ms below a second and s above', () => {
    expect([duration(4.567), duration(45.67), duration(4567), duration(45670)]).toEqual([
      '4.57 ms',
      '45.7 ms',
      '4.57 s',
      '45.7 s',
    ]);
  });
});
