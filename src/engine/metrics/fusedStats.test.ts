// Strata's WGSL programs for the similarity statistics, on Dawn's WebGPU in Node (SwiftShader on
// a machine without a GPU), against the wasm engine on the same layers. Dawn finds its Vulkan
// driver only at process start, so the work runs in a child process (scripts/bench/gpu/fusedStatsChild.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { vulkanEnv } from '../../../scripts/bench/gpu/vulkan';
import type { FusedReport } from '../../../scripts/bench/gpu/fusedStatsChild';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function runChild(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['scripts/node-ts.mjs', 'scripts/bench/gpu/fusedStatsChild.ts'],
      { cwd: root, env: { ...process.env, ...vulkanEnv() } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let report: FusedReport;

beforeAll(async () => {
  const run = await runChild();
  const line = run.stdout.trim().split('\n').pop();
  if (run.code !== 0 || !line) {
    throw new Error(`fusedStatsChild.ts exited with ${run.code}: ${run.stderr.slice(-2000)}`);
  }
  report = JSON.parse(line) as FusedReport;
}, 240_000);

function maxDifference(a: (number | null)[][], b: (number | null)[][]): number {
  let worst = 0;
  a.forEach((row, l) =>
    row.forEach((x, m) => {
      const y = b[l][m];
      worst = Math.max(
        worst,
        x === null || y === null ? (x === y ? 0 : Infinity) : Math.abs(x - y),
      );
    }),
  );
  return worst;
}

describe('similarity statistics on WebGPU (WGSL programs)', () => {
  it('match the wasm engine within 1e-5: cosine, linear, debiased and minibatch CKA', (ctx) => {
    if (!report.adapter) ctx.skip();
    for (const [name, run] of Object.entries(report.webgpu)) {
      const reference = report.wasm[name].matrices;
      expect(Object.keys(run.matrices)).toEqual(Object.keys(reference));
      for (const [metric, matrix] of Object.entries(run.matrices)) {
        expect(maxDifference(matrix, reference[metric]), `${name}, ${metric}`).toBeLessThan(1e-5);
      }
    }
    // Layer 1's zero row counts as 0 in the mean: COS(l1, l1) = 69/70.
    expect(report.webgpu['equal widths'].matrices.cosine[1][1]).toBeCloseTo(69 / 70, 6);
  });

  it('take a few dispatches for all pairs together and leave no tensor behind', (ctx) => {
    if (!report.adapter) ctx.skip();
    // 5 layers, 15 pairs, four metrics: the concat, the finiteness check, the full-batch
    // statistics (3), cosine (1), the two minibatch groups (3 each). tfjs's generic kernels took
    // about 10 per pair.
    const equal = report.webgpu['equal widths'];
    expect(equal.gpu!.dispatches).toBeLessThanOrEqual(12);
    expect(equal.gpu!.readbacks).toBeLessThanOrEqual(5);
    expect(report.webgpu['mixed widths'].gpu!.dispatches).toBeLessThanOrEqual(11);
    // Batches of 16 rows of 64-wide layers: two groups of three, not tfjs's Gram path per pair.
    expect(report.webgpu['small batches'].gpu!.dispatches).toBeLessThanOrEqual(8);
    for (const run of Object.values(report.webgpu)) expect(run.tensorsLeft).toBe(0);
  });

  it('analyzeLayers uploads the scaled layers without a dispatch per layer', (ctx) => {
    if (!report.adapter) ctx.skip();
    // The concat, the finiteness check, cosine (1), the statistics (3): nothing per layer.
    expect(report.analyze.dispatches).toBeLessThanOrEqual(6);
    expect(report.analyze.readbacks).toBeLessThanOrEqual(3);
  });

  it('name the layer that holds NaN or infinite values, with their count', (ctx) => {
    if (!report.adapter) ctx.skip();
    expect(report.nonFiniteError).toBe(
      'similarity: layer_1 contains 2 NaN or infinite values; expected finite numbers',
    );
  });
});
