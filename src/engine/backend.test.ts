import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { parseBackendName } from './backend';
import { initNodeBackend } from './nodeBackend';

describe('backend policy in Node', () => {
  it('starts wasm by default and computes correctly', async () => {
    const info = await initNodeBackend();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const y = tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([[5], [6]]),
    );
    expect(Array.from(await y.data())).toEqual([17, 39]);
    y.dispose();
  });

  it('can be forced to cpu', async () => {
    const info = await initNodeBackend('cpu');
    expect(info.name).toBe('cpu');
    expect(info.reason).toMatch(/forced/);
  });

  it('falls back and says so when a forced backend cannot start', async () => {
    const info = await initNodeBackend('webgl');
    expect(info.name).toBe('wasm');
    expect(info.fallback?.requested).toBe('webgl');
    expect(info.reason).toMatch(/webgl could not start/);
  });

  it('rejects unknown backend names with the place and the choices', () => {
    expect(parseBackendName(undefined, 'URL')).toBeUndefined();
    expect(parseBackendName('wasm', 'URL')).toBe('wasm');
    expect(() => parseBackendName('tpu', 'URL option ?backend')).toThrow(
      /URL option \?backend: unknown backend "tpu", expected one of webgpu, webgl, wasm, cpu/,
    );
  });
});
