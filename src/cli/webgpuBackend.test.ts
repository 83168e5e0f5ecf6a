// `strata … --backend webgpu` in Node: Dawn's WebGPU when it finds an adapter, else the engine's
// fallback (wasm), never a usage error; webgl stays refused.
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../engine/io/npy';
import { strata } from './testing';

async function layers(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-cli-webgpu-'));
  const file = join(dir, 'acts.npy');
  const data = Float32Array.from({ length: 3 * 16 * 4 }, (_, i) => Math.sin(i * 0.7));
  await writeFile(file, writeNpy({ name: 'acts', dtype: 'float32', shape: [3, 16, 4], data }));
  return { dir, file };
}

describe('strata --backend webgpu in Node', () => {
  it('analyzes on WebGPU or on the fallback, and says which', async () => {
    const { dir, file } = await layers();
    const out = join(dir, 'out');
    const { code, stderr } = await strata(
      'analyze',
      '--activations',
      file,
      '--metrics',
      'cosine',
      '--backend',
      'webgpu',
      '--out',
      out,
    );
    expect(stderr).not.toContain('not available in Node');
    expect(stderr).not.toContain('Initialization of backend webgpu failed');
    expect(code).toBe(0);
    expect(existsSync(join(out, 'similarity.json'))).toBe(true);
  }, 120_000);

  it('still refuses webgl by name', async () => {
    const { dir, file } = await layers();
    const { code, stderr } = await strata(
      'analyze',
      '--activations',
      file,
      '--backend',
      'webgl',
      '--out',
      join(dir, 'out'),
    );
    expect(code).not.toBe(0);
    expect(stderr).toContain('--backend webgl is not available in Node');
  });
});
