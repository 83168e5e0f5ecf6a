import { describe, expect, it } from 'vitest';
import { readUrlOptions } from './urlOptions';

describe('readUrlOptions', () => {
  it('reads a backend and a sample count', () => {
    expect(readUrlOptions('?backend=wasm&samples=128')).toEqual({
      backend: 'wasm',
      samples: 128,
      notices: [],
    });
    expect(readUrlOptions('')).toEqual({ backend: undefined, samples: undefined, notices: [] });
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
