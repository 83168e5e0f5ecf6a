import { readFileSync } from 'node:fs';
import { mkdtemp, symlink, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi } from '../api';
import { writeNpz } from '../io/npz';
import { nodeEngineHost } from '../nodeHost';

// The import entry points through the engine's public interface (as the worker exposes it), with
// the built-in datasets and no built-in models: leaks, registration, re-encoded text datasets.

const FIXTURES = resolve('e2e/fixtures/models');
const blob = (path: string) => new Blob([readFileSync(path)]);

function checkpoint(name: string, tokenizer?: string) {
  return {
    name,
    config: { path: `${name}/config.json`, file: blob(join(FIXTURES, name, 'config.json')) },
    weights: {
      path: `${name}/model.safetensors`,
      file: blob(join(FIXTURES, name, 'model.safetensors')),
    },
    ...(tokenizer
      ? { tokenizer: { path: `${name}/${tokenizer}`, file: blob(join(FIXTURES, name, tokenizer)) } }
      : {}),
  };
}

const request = (modelId: string, dataset: string) => ({
  modelId,
  dataset,
  samples: 16,
  seed: 0,
  pooling: 'cls' as const,
  metrics: ['cosine' as const, 'cka' as const],
  finalNormInHead: true,
  batchSize: 32,
  rbfT: 0.5,
});

describe('user imports through the engine API (wasm)', () => {
  let engine: EngineApi;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-imports-'));
    await symlink(resolve('public/datasets'), join(dir, 'datasets'));
    await mkdir(join(dir, 'models'));
    await writeFile(join(dir, 'models', 'manifest.json'), '{"version": 1, "models": []}');
    engine = createEngine(nodeEngineHost(dir));
    await engine.init({ backend: 'wasm' });
  });

  it('importModel stops its reads once its task is aborted, keeping nothing', async () => {
    const before = await engine.numTensors();
    let abort: Promise<void> | null = null;
    const outcome = await engine
      .importModel(
        checkpoint('vit-mnist'),
        (e) => {
          if (e.phase.startsWith('reading')) abort ??= engine.abortTask('import-1');
        },
        'import-1',
      )
      .catch((e: Error) => e);
    expect((outcome as Error).name).toBe('ReadCancelledError');
    expect(await engine.numTensors()).toBe(before);
  });

  it('importModel + discardImportedModel leave no tensor behind', async () => {
    await engine.discardImportedModel((await engine.importModel(checkpoint('vit-mnist'))).token); // warm-up
    const before = await engine.numTensors();
    const s = await engine.importModel(checkpoint('vit-mnist'));
    expect(s.datasets.filter((d) => d.fits).map((d) => d.dataset)).toEqual([
      'mnist',
      'fashion-mnist',
    ]);
    await engine.discardImportedModel(s.token);
    await expect(
      engine.importModel({
        ...checkpoint('vit-mnist'),
        weights: { path: 'w.safetensors', file: new Blob([new Uint8Array(9)]) },
      }),
    ).rejects.toThrow(/^w\.safetensors: /);
    expect(await engine.numTensors()).toBe(before);
  });

  it('a used ViT is listed, analysed on MNIST, and its analysis leaks nothing', async () => {
    const s = await engine.importModel(checkpoint('vit-mnist'));
    await expect(engine.useImportedModel(s.token, 'fashion-mnist')).resolves.toMatchObject({
      id: 'user-vit-mnist',
      dataset: 'fashion-mnist',
    });
    expect((await engine.listModels()).map((m) => m.id)).toEqual(['user-vit-mnist']);
    await engine.analyze(request('user-vit-mnist', 'mnist')); // warm-up
    const before = await engine.numTensors();
    const result = await engine.analyze(request('user-vit-mnist', 'mnist'));
    expect(result.layers).toEqual(['embeddings', 'layer_1', 'layer_2']);
    expect(await engine.numTensors()).toBe(before);
  });

  it('a used BERT gets IMDB re-encoded with its vocab.txt, listed as a dataset of its own', async () => {
    const s = await engine.importModel(checkpoint('bert-imdb', 'vocab.txt'));
    expect(s.datasets.find((d) => d.dataset === 'imdb')?.fits).toBe(true);
    const info = await engine.useImportedModel(s.token, 'imdb');
    expect(info.dataset).toBe('imdb-for-user-bert-imdb');
    const datasets = await engine.listDatasets();
    expect(datasets.at(-1)).toMatchObject({ name: 'imdb-for-user-bert-imdb', inputShape: [64] });
    const summary = await engine.loadDataset('imdb-for-user-bert-imdb');
    expect(summary.testClassCounts).toEqual((await engine.loadDataset('imdb')).testClassCounts);
    const result = await engine.analyze(request(info.id, info.dataset));
    expect(result.accuracy).toHaveLength(3);
  });

  it('analyzeActivationFile leaks nothing', async () => {
    const layers = [0, 1, 2].map((l) => ({
      name: `layer_${l}`,
      dtype: 'float32' as const,
      shape: [8, 4],
      data: Float32Array.from({ length: 32 }, (_, i) => Math.sin(i + l)),
    }));
    const file = { path: 'a.npz', file: new Blob([writeNpz(layers)]) };
    await engine.analyzeActivationFile(file, ['cosine', 'cka']);
    const before = await engine.numTensors();
    const r = await engine.analyzeActivationFile(file, ['cosine', 'cka-debiased']);
    expect(r.metrics['cka-debiased']).toHaveLength(3);
    expect(await engine.numTensors()).toBe(before);
  });
});
