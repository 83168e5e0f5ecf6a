import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi, type TrainEvent } from './api';
import { saveCheckpoint } from './checkpoint';
import { PRESETS, type VisionConfig } from './model/config';
import { disposeParams, initParams } from './model/params';
import { nodeEngineHost } from './nodeHost';
import { initNodeBackend } from './nodeBackend';

// A small random ViT that reads MNIST, written as a built-in checkpoint into a temporary public/.
const TINY: VisionConfig = {
  ...(PRESETS['vit-mnist'] as VisionConfig),
  hiddenSize: 16,
  numLayers: 3,
  numHeads: 2,
  mlpSize: 32,
};

async function publicDirWithTinyModels(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-api-'));
  await symlink(resolve('public/datasets'), join(dir, 'datasets'));
  const models = [];
  for (const [id, config] of [
    ['tiny-aligned', TINY],
    ['tiny-multihead', { ...TINY, heads: 'per-layer' as const }],
  ] as const) {
    await initNodeBackend('cpu');
    const params = initParams(config, 5);
    const files = await saveCheckpoint({ config, params });
    disposeParams(params);
    await mkdir(join(dir, 'models', id), { recursive: true });
    await writeFile(join(dir, 'models', id, 'model.safetensors'), files.weights);
    await writeFile(join(dir, 'models', id, 'config.json'), files.config);
    models.push({
      id,
      title: id,
      dataset: 'mnist',
      loss: id.endsWith('multihead') ? 'multihead' : 'aligned',
      numLayers: 3,
      hiddenSize: 16,
      numClasses: 10,
      kind: 'image',
      perLayerHeads: config.heads === 'per-layer',
    });
  }
  await writeFile(join(dir, 'models', 'manifest.json'), JSON.stringify({ version: 1, models }));
  return dir;
}

describe('engine API in Node (wasm)', () => {
  let engine: EngineApi;
  const request = {
    modelId: 'tiny-aligned',
    dataset: 'mnist',
    samples: 64,
    seed: 0,
    pooling: 'cls' as const,
    metrics: ['cosine' as const, 'cka' as const],
    finalNormInHead: true,
    batchSize: 32,
    rbfT: 0.5,
  };

  beforeAll(async () => {
    const dir = await publicDirWithTinyModels();
    engine = createEngine(nodeEngineHost(dir));
    await engine.init({ backend: 'wasm' });
  });

  it('lists models and datasets and summarises a dataset', async () => {
    expect((await engine.listModels()).map((m) => m.id)).toEqual([
      'tiny-aligned',
      'tiny-multihead',
    ]);
    expect((await engine.listDatasets()).map((d) => d.name)).toEqual([
      'mnist',
      'fashion-mnist',
      'imdb',
    ]);
    const mnist = await engine.loadDataset('mnist');
    expect(mnist.testClassCounts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(mnist.preview.images?.length).toBe(32 * 784);
    await expect(engine.loadDataset('cifar')).rejects.toThrow('unknown dataset "cifar"');
  });

  it('analyzes a checkpoint: matrices over L+1 layers, accuracies, class means', async () => {
    const result = await engine.analyze(request);
    expect(result.layers).toEqual(['embeddings', 'layer_1', 'layer_2', 'layer_3']);
    expect(result.n).toBe(64);
    expect(result.metrics.cosine).toHaveLength(4);
    expect(result.metrics.cka?.[2][2]).toBe(1);
    expect(result.accuracy).toHaveLength(4);
    expect(result.saturationHistogram.reduce((a, b) => a + b, 0)).toBe(64);
    expect(result.classMeans.points).toHaveLength(4);
    expect(result.classMeans.points[0]).toHaveLength(10);
    // With cls pooling h_0 is the class token plus its position embedding: the same for every
    // sample, so CKA with it is undefined (null, with a reason) and only 3 of 6 pairs agree.
    expect(result.metrics.cka?.[0][1]).toBeNull();
    expect(result.notes.cka?.[0]).toMatch(/^embeddings: constant/);
    expect(result.notes.cka?.join(' ')).not.toMatch(/layer_0/);
    expect(result.agreement['cosine~cka'].pairs).toBe(3);
    const mean = await engine.analyze({ ...request, pooling: 'mean' });
    expect(mean.agreement['cosine~cka'].pairs).toBe(6);
    const tokens = await engine.analyze({ ...request, pooling: 'tokens', metrics: ['cka'] });
    expect(tokens.n).toBe(64 * 17);
  });

  it('reports a model that cannot read the dataset, and an unknown model', async () => {
    await expect(engine.analyze({ ...request, dataset: 'imdb' })).rejects.toThrow(
      'cannot read dataset "imdb"',
    );
    await expect(engine.analyze({ ...request, modelId: 'nope' })).rejects.toThrow(
      'unknown model "nope"',
    );
  });

  it('computes exit trade-offs, then exact readouts from the cache', async () => {
    const req = {
      modelId: 'tiny-multihead',
      dataset: 'mnist',
      samples: 64,
      seed: 0,
      rule: 'confidence' as const,
    };
    await expect(engine.exitReadout(req, 0.9)).rejects.toThrow('no trade-off computed yet');
    const result = await engine.exitTradeoff(req);
    expect(result.classifier).toBe('per-layer');
    expect(result.tradeoff.layers).toBe(3);
    const loose = await engine.exitReadout(req, 0);
    expect(loose.point.meanExitLayer).toBe(1);
    expect(loose.histogram).toEqual([64, 0, 0]);
  });

  it('fine-tunes a copy, streams events, and leaves the base model unchanged', async () => {
    const before = await engine.analyze(request);
    const events: TrainEvent[] = [];
    const info = await engine.startTraining(
      {
        baseModelId: 'tiny-aligned',
        dataset: 'mnist',
        loss: 'aligned',
        weighting: 'linear',
        lr: 1e-3,
        batchSize: 16,
        steps: 4,
        seed: 0,
        evalEvery: 2,
      },
      (e) => events.push(e),
    );
    expect(info.id).toBe('finetuned-1');
    expect(info.title).toBe('tiny-aligned → aligned, 4 steps, lr 1e-3');
    // Preparing until the first step is done: then running, its log first.
    const kinds = events.map((e) => (e.type === 'preparing' ? e.phase : e.type));
    expect(kinds.slice(0, 3)).toEqual(['dataset', 'model', 'checkpoint']);
    expect(kinds.slice(3, 7)).toEqual(['first-step', 'log', 'eval', 'state']);
    expect(events[6]).toEqual({ type: 'state', state: 'running', step: 1 });
    expect(events.filter((e) => e.type === 'log')).toHaveLength(4);
    // Steps 1 and 2 on the quick subset, the last (4) on all 500 rows.
    const evals = events.flatMap((e) => (e.type === 'eval' ? [[e.log.step, e.log.n]] : []));
    expect(evals).toEqual([
      [1, 256],
      [2, 256],
      [4, 500],
    ]);
    expect(events[events.length - 1]).toEqual({ type: 'state', state: 'done', step: 4 });
    expect((await engine.listModels()).map((m) => m.id)).toContain('finetuned-1');
    const after = await engine.analyze(request);
    expect(after.metrics.cosine).toEqual(before.metrics.cosine);
    const tuned = await engine.analyze({ ...request, modelId: 'finetuned-1' });
    expect(tuned.metrics.cosine).not.toEqual(before.metrics.cosine);
  });

  it('leaks no tensor across analyses and exit sweeps', async () => {
    await engine.analyze(request);
    const before = await engine.numTensors();
    await engine.analyze({
      ...request,
      metrics: ['cosine', 'cka', 'cka-debiased', 'cka-minibatch', 'cka-rbf'],
    });
    await engine.exitTradeoff({
      modelId: 'tiny-aligned',
      dataset: 'mnist',
      samples: 32,
      seed: 1,
      rule: 'entropy',
    });
    expect(await engine.numTensors()).toBe(before);
  });

  it('a run aborted while it prepares ends before its first step and lists nothing', async () => {
    const before = await engine.numTensors();
    const events: TrainEvent[] = [];
    const run = engine.startTraining(
      {
        baseModelId: 'tiny-aligned',
        dataset: 'mnist',
        loss: 'aligned',
        weighting: 'linear',
        lr: 1e-3,
        batchSize: 16,
        steps: 4,
        seed: 0,
        evalEvery: 2,
      },
      (e) => {
        events.push(e);
        if (e.type === 'preparing' && e.phase === 'dataset') void engine.abortTask('prepare-1');
      },
      { task: 'prepare-1' },
    );
    await expect(run).rejects.toMatchObject({ name: 'TaskAbortedError' });
    expect(events.map((e) => e.type)).toEqual(['preparing', 'preparing']);
    const ids = (await engine.listModels()).map((m) => m.id);
    expect(ids.filter((id) => id.startsWith('finetuned-'))).toEqual(['finetuned-1']);
    expect(await engine.numTensors()).toBe(before);
  });

  it('refuses a language-model fine-tune while a classifier fine-tune runs (pause and stop reach both)', async () => {
    let refused: unknown = null;
    await engine.startTraining(
      {
        baseModelId: 'tiny-aligned',
        dataset: 'mnist',
        loss: 'aligned',
        weighting: 'linear',
        lr: 1e-3,
        batchSize: 16,
        steps: 2,
        seed: 0,
        evalEvery: 2,
      },
      (e) => {
        if (e.type === 'log' && e.log.step === 1)
          refused = engine
            .startLmTraining({} as Parameters<EngineApi['startLmTraining']>[0], () => undefined)
            .catch((err: unknown) => err);
      },
    );
    expect(String(await refused)).toContain('a classifier fine-tune is running');
  });
});
