import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../api';
import { DEVICE_LOST_ERROR } from '../deviceLoss';
import { writeNpz } from '../io/npz';
import { initNodeBackend } from '../nodeBackend';
import { nodeEngineHost } from '../nodeHost';
import { tinyPublicDir } from './testing';

// Imports and activation files when the device goes (simulated on cpu; the engine moves to wasm).
const FIXTURE = resolve('e2e/fixtures/models/vit-mnist');
const checkpoint = () => ({
  name: 'vit-mnist',
  config: {
    path: 'vit-mnist/config.json',
    file: new Blob([readFileSync(join(FIXTURE, 'config.json'))]),
  },
  weights: {
    path: 'vit-mnist/model.safetensors',
    file: new Blob([readFileSync(join(FIXTURE, 'model.safetensors'))]),
  },
});

const activations = () => {
  const layers = [0, 1, 2].map((l) => ({
    name: `layer_${l}`,
    dtype: 'float32' as const,
    shape: [8, 4],
    data: Float32Array.from({ length: 32 }, (_, i) => Math.sin(i + l)),
  }));
  return { path: 'a.npz', file: new Blob([writeNpz(layers)]) };
};

describe('user imports when the GPU device is lost', () => {
  let dir: string;
  beforeAll(async () => {
    await initNodeBackend('cpu');
    dir = await tinyPublicDir('strata-import-loss-', 5);
  });

  it('interrupts an import and an activation analysis as a device loss; both work again after', async () => {
    const engine = createEngine(nodeEngineHost(dir));
    await engine.init({ backend: 'cpu', testHooks: true });
    // The device goes while the checkpoint is read and an activation file is analysed.
    let lost: Promise<void> | null = null;
    let analysed: Promise<unknown> | null = null;
    const imported = engine
      .importModel(checkpoint(), () => {
        if (lost) return;
        analysed = engine.analyzeActivationFile(activations(), ['cosine']).catch((e: Error) => e);
        lost = engine.loseDeviceForTest();
      })
      .catch((e: Error) => e);
    await expect.poll(() => lost).not.toBeNull();
    await lost;
    expect(await imported).toMatchObject({ name: DEVICE_LOST_ERROR });
    expect(await analysed).toMatchObject({ name: DEVICE_LOST_ERROR });
    expect(await engine.numTensors()).toBe(0); // nothing staged on the lost backend survives

    const summary = await engine.importModel(checkpoint());
    const info = await engine.useImportedModel(summary.token, 'mnist');
    expect((await engine.listModels()).map((m) => m.id)).toContain(info.id);
    const report = await engine.analyzeActivationFile(activations(), ['cosine']);
    expect(report.metrics.cosine).toHaveLength(3);
  });
});
