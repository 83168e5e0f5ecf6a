import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type AnalysisRequest, type BackendChange, type TrainEvent } from '../api';
import { DEVICE_LOST_ERROR } from '../deviceLoss';
import { initNodeBackend } from '../nodeBackend';
import { nodeEngineHost } from '../nodeHost';
import { tinyPublicDir } from './testing';

// A device loss through the engine API, simulated on cpu (Node has no GPU): the engine must move
// to the next backend (wasm), free the lost backend's tensors and compute the same numbers there.
const REQUEST: AnalysisRequest = {
  modelId: 'tiny-aligned',
  dataset: 'mnist',
  samples: 32,
  seed: 3,
  pooling: 'cls',
  metrics: ['cosine', 'cka'],
  finalNormInHead: true,
  batchSize: 16,
  rbfT: 0.5,
};

describe('device loss through the engine API', () => {
  let dir: string;
  beforeAll(async () => {
    await initNodeBackend('cpu');
    dir = await tinyPublicDir('strata-devloss-', 7);
  });

  it('refuses the test hook unless init asked for it', async () => {
    const engine = createEngine(nodeEngineHost(dir));
    await engine.init({ backend: 'wasm' });
    await expect(engine.loseDeviceForTest()).rejects.toThrow(/needs init\(\{ testHooks: true \}\)/);
  });

  it('moves to the next backend, says why, frees the old tensors and recomputes the same', async () => {
    const engine = createEngine(nodeEngineHost(dir));
    expect((await engine.init({ backend: 'cpu', testHooks: true })).name).toBe('cpu');
    const changes: BackendChange[] = [];
    await engine.watchBackend((c) => c.type === 'device-lost' && changes.push(c));
    const onCpu = await engine.analyze(REQUEST);
    expect(await engine.numTensors()).toBeGreaterThan(0); // the model's weights

    // A fine-tune in flight when the device goes: its call rejects as a device loss.
    const events: TrainEvent[] = [];
    const training = engine.startTraining(
      {
        ...REQUEST,
        baseModelId: 'tiny-aligned',
        loss: 'aligned',
        weighting: 'linear',
        lr: 1e-3,
        batchSize: 4,
        steps: 1000,
        evalEvery: 1000,
      },
      (e) => events.push(e),
    );
    const outcome = training.then(
      () => null,
      (e: unknown) => e,
    );
    await expect.poll(() => events.some((e) => e.type === 'log')).toBe(true);
    await engine.loseDeviceForTest();
    expect(await outcome).toMatchObject({ name: DEVICE_LOST_ERROR });

    expect(changes).toHaveLength(1);
    expect(changes[0].lost).toEqual({
      backend: 'cpu',
      message: 'simulated loss of the cpu device',
    });
    expect(changes[0].info.name).toBe('wasm');
    expect(changes[0].info.reason).toBe(
      'cpu device lost: simulated loss of the cpu device; now on wasm',
    );
    expect(changes[0].droppedModels).toEqual(['finetuned-1']);
    // Nothing of the lost backend is left, and nothing was moved into the new one.
    expect(await engine.numTensors()).toBe(0);
    expect((await engine.listModels()).map((m) => m.id)).not.toContain('finetuned-1');

    const onWasm = await engine.analyze(REQUEST);
    for (const metric of ['cosine', 'cka'] as const) {
      const a = onCpu.metrics[metric]!;
      const b = onWasm.metrics[metric]!;
      a.forEach((row, i) => row.forEach((v, j) => expect(b[i][j]!).toBeCloseTo(v!, 4)));
    }
    expect(onWasm.accuracy).toEqual(onCpu.accuracy);
  });
});
