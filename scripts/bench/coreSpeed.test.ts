import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  caveatSlowTwoThreads,
  caveatUnequalCores,
  describeCoreSpeeds,
  measureCoreSpeeds,
  relativeSpeeds,
  worseBalanced,
} from './coreSpeed';
import { renderReport } from './report';
import { summarize } from './stats';
import type { BenchResults, Check, Row } from './types';

const checks: Check[] = [
  { target: 'W1 wasm ≤ 2.5× NumPy', measured: '2.08×', met: true, detail: 'met' },
  { target: 'W2 wasm ≤ 3× PyTorch CPU (2 threads)', measured: '4×', met: false, detail: 'missed' },
  { target: 'W1 Chromium wasm within 1.2× of Node wasm', measured: '1×', met: true, detail: 'ok' },
  { target: 'W1 wasm ≥ 10× faster than pair by pair', measured: '11×', met: true, detail: 'met' },
];

describe('core speeds', () => {
  it('are each core’s time against the fastest core’s', () => {
    expect(relativeSpeeds([100, 200, 125])).toEqual([1, 0.5, 0.8]);
  });

  it('flag only the targets against a multi-threaded reference, and only when cores differ', () => {
    expect(caveatUnequalCores(checks, [1, 0.9])).toEqual(checks);
    const flagged = caveatUnequalCores(checks, [1, 0.55]);
    expect(flagged.map((c) => c.caveat !== undefined)).toEqual([true, true, false, true]);
    expect(flagged[0].caveat).toContain('1.00, 0.55');
    expect(flagged[0].met).toBe(true);
    expect(describeCoreSpeeds([1, 0.84]).balanced).toBe(false);
  });

  it('flag the PyTorch targets when its two-thread reference lost to its own one-thread run', () => {
    const row = (impl: string, ms: number): Row => ({
      task: 'training step',
      impl,
      timing: summarize([ms]),
    });
    const slow = [
      row('PyTorch CPU, 2 threads, sdpa attention (reference)', 110),
      row('PyTorch CPU, 1 thread, sdpa attention', 68),
    ];
    const flagged = caveatSlowTwoThreads(checks, slow);
    expect(flagged.map((c) => c.caveat !== undefined)).toEqual([false, true, false, false]);
    expect(flagged[1].caveat).toContain('110.0 ms');
    const fine = [
      row('PyTorch CPU, 2 threads, sdpa attention (reference)', 53),
      row('PyTorch CPU, 1 thread, sdpa attention', 71),
    ];
    expect(caveatSlowTwoThreads(checks, fine)).toEqual(checks);
  });

  it('keep the worse balanced of the probes before and after a workload', () => {
    expect(worseBalanced([1, 0.9], [0.6, 1])).toEqual([0.6, 1]);
    expect(worseBalanced([1, 0.5], [1, 0.9])).toEqual([1, 0.5]);
    expect(worseBalanced(null, [1, 1])).toEqual([1, 1]);
  });

  it('print the caveat in the status and detail (applied when the report is written), and the speeds beside the load', () => {
    const results: BenchResults = {
      mode: 'full',
      machine: { cpu: 'CPU', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20', tfjs: '4.22.0' },
      workloads: {
        W1: {
          id: 'W1',
          title: 'Similarity',
          ranAt: '2026-01-01T00:00:00.000Z',
          loadBefore: 0.1,
          coreSpeeds: [1, 0.55],
          params: { n: 4 },
          rows: [],
          checks: checks.slice(0, 1),
          notes: [],
        },
      },
    };
    const md = renderReport(results, {}, []);
    expect(md).toContain('| ✅ met, not a verdict | met; not a verdict: the cores ran at unequal');
    expect(md).toContain('cores’ speeds (a pinned loop, fastest = 1): 1.00, 0.55 (unequal)');
  });

  it('are measured on this machine, one per core, the fastest at 1', async () => {
    const speeds = await measureCoreSpeeds(1);
    const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
    expect(speeds === null).toBe(!hasTaskset); // without taskset the probe says so with null
    if (!speeds) return;
    expect(speeds).toHaveLength(cpus().length);
    expect(Math.max(...speeds)).toBe(1);
    for (const s of speeds) expect(s).toBeGreaterThan(0);
  }, 60_000);
});
