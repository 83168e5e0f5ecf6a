// Test helper: a public/ folder for an engine in Node with one tiny built-in checkpoint,
// `tiny-aligned` (a 2-block ViT of width 16 for MNIST), beside the real built-in datasets.
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { saveCheckpoint } from '../checkpoint';
import { PRESETS, type VisionConfig } from '../model/config';
import { disposeParams, initParams } from '../model/params';

export const TINY: VisionConfig = {
  ...(PRESETS['vit-mnist'] as VisionConfig),
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 2,
  mlpSize: 32,
};

/** A temporary public/ folder: datasets linked from the repository, `tiny-aligned` from `seed`. */
export async function tinyPublicDir(prefix: string, seed: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await symlink(resolve('public/datasets'), join(dir, 'datasets'));
  const params = initParams(TINY, seed);
  const files = await saveCheckpoint({ config: TINY, params });
  disposeParams(params);
  await mkdir(join(dir, 'models', 'tiny-aligned'), { recursive: true });
  await writeFile(join(dir, 'models', 'tiny-aligned', 'model.safetensors'), files.weights);
  await writeFile(join(dir, 'models', 'tiny-aligned', 'config.json'), files.config);
  const info = { id: 'tiny-aligned', title: 'tiny', dataset: 'mnist', loss: 'aligned' };
  const sizes = { numLayers: 2, hiddenSize: 16, numClasses: 10, kind: 'image' };
  await writeFile(
    join(dir, 'models', 'manifest.json'),
    JSON.stringify({ version: 1, models: [{ ...info, ...sizes, perLayerHeads: false }] }),
  );
  return dir;
}
