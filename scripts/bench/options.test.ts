import { describe, expect, it } from 'vitest';
import { parseOptions } from './options';

const defaults = { out: 'bench', python: 'python3', torchPython: 'py', quickOut: '/tmp/q' };

describe('parseOptions', () => {
  it('runs everything on both backends by default', () => {
    const o = parseOptions([], defaults);
    expect(o).toMatchObject({
      only: ['W1', 'W1b', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7'],
      quick: false,
      out: 'bench',
    });
    expect(o.backends).toEqual(['wasm', 'cpu']);
    expect(o.browserBackends).toEqual(['wasm', 'webgpu']);
  });

  it('reads --only, --reps, --backends, and sends --quick output to the temp folder', () => {
    const o = parseOptions(
      ['--only', 'w1,W4,w1b', '--reps', '7', '--backends', 'wasm', '--quick'],
      defaults,
    );
    expect(o).toMatchObject({
      only: ['W1', 'W4', 'W1b'],
      reps: 7,
      backends: ['wasm'],
      out: '/tmp/q',
    });
    expect(parseOptions(['--quick', '--out', 'x'], defaults).out).toBe('x');
    expect(parseOptions(['--browser', 'none'], defaults).browserBackends).toEqual([]);
    expect(parseOptions(['--report-only'], defaults).reportOnly).toBe(true);
    expect(parseOptions(['--browser', 'wasm'], defaults).browserBackends).toEqual(['wasm']);
  });

  it('reads --backend webgpu (Node WebGPU) and --backends with webgpu among others', () => {
    const o = parseOptions(['--backend', 'webgpu', '--only', 'W1,W2,W6', '--quick'], defaults);
    expect(o).toMatchObject({ backends: ['webgpu'], only: ['W1', 'W2', 'W6'], quick: true });
    expect(parseOptions(['--backends', 'wasm,webgpu'], defaults).backends).toEqual([
      'wasm',
      'webgpu',
    ]);
  });

  it('reads wasm-threads (the threaded wasm build in Node) beside wasm', () => {
    expect(parseOptions(['--backends', 'wasm,wasm-threads'], defaults).backends).toEqual([
      'wasm',
      'wasm-threads',
    ]);
  });

  it('reads --w6 decoders (the other W6 rows kept) and refuses an unknown part', () => {
    expect(parseOptions([], defaults).w6).toBe('all');
    const o = parseOptions(['--only', 'W6', '--w6', 'decoders'], defaults);
    expect(o).toMatchObject({ only: ['W6'], w6: 'decoders' });
    expect(parseOptions(['--w6', 'encoders'], defaults).w6).toBe('encoders');
    expect(() => parseOptions(['--w6', 'gpt2'], defaults)).toThrow(
      'bench: --w6 gpt2: expected all, encoders, decoders',
    );
    expect(() => parseOptions(['--w6'], defaults)).toThrow('bench: --w6 needs a value');
  });

  it('names what is wrong', () => {
    expect(() => parseOptions(['--only', 'W9'], defaults)).toThrow(/--only W9/);
    expect(() => parseOptions(['--reps', '0'], defaults)).toThrow(/--reps 0/);
    expect(() => parseOptions(['--backends', 'webgl'], defaults)).toThrow(/webgl/);
    expect(() => parseOptions(['--backend', 'wasm,gpu'], defaults)).toThrow(
      /--backend gpu: expected some of wasm, wasm-threads, cpu, webgpu/,
    );
    expect(() => parseOptions(['--browser', 'cpu'], defaults)).toThrow(/--browser cpu/);
    expect(() => parseOptions(['--fast'], defaults)).toThrow(/unknown option --fast/);
    expect(() => parseOptions(['--out'], defaults)).toThrow(/--out needs a value/);
  });
});
