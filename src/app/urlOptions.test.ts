import { describe, expect, it } from 'vitest';
import { readUrlOptions } from './urlOptions';

describe('readUrlOptions', () => {
  it('reads a backend and a sample count', () => {
    expect(readUrlOptions('?backend=wasm&samples=128')).toEqual({
      backend: 'wasm',
      samples: 128,
      testHooks: false,
      notices: [],
    });
    expect(readUrlOptions('')).toEqual({
      backend: undefined,
      samples: undefined,
      testHooks: false,
      notices: [],
    });
  });

  it('turns the test hooks on only for an explicit ?test-hooks=1', () => {
    expect(readUrlOptions('?test-hooks=1').testHooks).toBe(true);
    expect(readUrlOptions('?test-hooks=true').testHooks).toBe(false);
    expect(readUrlOptions('?test-hooks').testHooks).toBe(false);
  });

  it('reports bad values instead of throwing, and ignores them', () => {
    const { backend, samples, notices } = readUrlOptions('?backend=tpu&samples=12.5');
    expect(backend).toBeUndefined();
    expect(samples).toBeUndefined();
    expect(notices).toEqual([
      'Ignored ?backend=tpu: expected one of webgpu, webgl, wasm, cpu.',
      'Ignored ?samples=12.5: expected a whole number (16 to 10000).',
    ]);
    expect(readUrlOptions('?samples=').notices[0]).toContain('expected a number');
    expect(readUrlOptions('?samples=99999').notices[0]).toContain(
      'expected a value in [16, 10000]',
    );
  });
});
