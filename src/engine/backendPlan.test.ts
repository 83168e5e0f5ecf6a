import { describe, expect, it } from 'vitest';
import { planBackends, type GpuProbe } from './backend';

const software: GpuProbe = { hardware: false, description: 'google swiftshader (software)' };
const hardware: GpuProbe = { hardware: true, description: 'nvidia ampere' };
const names = (...args: Parameters<typeof planBackends>) =>
  planBackends(...args).map((s) => s.name);

describe('backend policy: the order of backends to try', () => {
  it('prefers WebGPU on hardware, WASM on a software adapter, WebGL without WebGPU', () => {
    expect(names(hardware, { inBrowser: true })).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(names(software, { inBrowser: true })).toEqual(['wasm', 'cpu']);
    expect(names(null, { inBrowser: true })).toEqual(['webgl', 'wasm', 'cpu']);
    expect(names(software, { force: 'webgpu', inBrowser: true })).toEqual([
      'webgpu',
      'wasm',
      'cpu',
    ]);
  });

  it('after WebGPU lost its device: WASM on a software adapter, WebGL then WASM on hardware', () => {
    const exclude = ['webgpu'] as const;
    expect(names(software, { force: 'webgpu', exclude, inBrowser: true })).toEqual(['wasm', 'cpu']);
    expect(names(hardware, { exclude, inBrowser: true })).toEqual(['webgl', 'wasm', 'cpu']);
    expect(names(hardware, { exclude, inBrowser: false })).toEqual(['wasm', 'cpu']);
    expect(planBackends(software, { exclude, inBrowser: true })[0].reason).toMatch(
      /software .*WASM is faster there/,
    );
  });

  it('never lists an excluded backend, even a forced one', () => {
    expect(names(null, { force: 'cpu', exclude: ['cpu', 'webgl'], inBrowser: true })).toEqual([
      'wasm',
    ]);
  });
});
