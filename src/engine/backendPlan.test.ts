import { describe, expect, it } from 'vitest';
import { planBackends, type GpuProbe } from './backend';
import { classifyWebGl } from './webglProbe';

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

  it('without WebGPU, prefers WASM over a software WebGL renderer and says why', () => {
    const swiftshader = classifyWebGl('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))', false);
    expect(names(null, { inBrowser: true, webgl: swiftshader })).toEqual(['wasm', 'webgl', 'cpu']);
    const first = planBackends(null, { inBrowser: true, webgl: swiftshader })[0];
    expect(first.reason).toBe(
      'no WebGPU adapter, and WebGL would run on the CPU (software renderer: SwiftShader); WASM is faster there',
    );
    const caveat = classifyWebGl('WebKit WebGL', true);
    expect(names(null, { inBrowser: true, webgl: caveat })).toEqual(['wasm', 'webgl', 'cpu']);
    // A hardware WebGL keeps its place; forcing WebGL still puts it first.
    const nvidia = classifyWebGl('ANGLE (NVIDIA, NVIDIA GeForce RTX 3080)', false);
    expect(names(null, { inBrowser: true, webgl: nvidia })).toEqual(['webgl', 'wasm', 'cpu']);
    expect(names(null, { force: 'webgl', inBrowser: true, webgl: swiftshader })).toEqual([
      'webgl',
      'wasm',
      'cpu',
    ]);
    // After hardware WebGPU lost its device, a software WebGL still comes after WASM.
    expect(names(hardware, { exclude: ['webgpu'], inBrowser: true, webgl: swiftshader })).toEqual([
      'wasm',
      'webgl',
      'cpu',
    ]);
  });

  it('never lists an excluded backend, even a forced one', () => {
    expect(names(null, { force: 'cpu', exclude: ['cpu', 'webgl'], inBrowser: true })).toEqual([
      'wasm',
    ]);
  });
});
