// A user's dataset is read by every model of its kind, each in its own way: images resized to an
// imported ViT's input, raw texts split by an imported BERT's vocab.txt (through the engine API).
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi } from '../api';
import { nodeEngineHost } from '../nodeHost';

const blob = (path: string) => new Blob([readFileSync(path)]);
function checkpoint(dir: string, name: string, tokenizer?: string) {
  const file = (f: string) => ({ path: `${name}/${f}`, file: blob(join(dir, f)) });
  return {
    name,
    config: file('config.json'),
    weights: file('model.safetensors'),
    ...(tokenizer ? { tokenizer: file(tokenizer) } : {}),
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

/** A `label,pixel0,…` CSV of `n` grey 28×28 images in 3 classes. */
function pixelCsv(n: number): Blob {
  const lines = [['label', ...Array.from({ length: 784 }, (_, j) => `pixel${j}`)].join(',')];
  for (let i = 0; i < n; i++)
    lines.push([i % 3, ...Array.from({ length: 784 }, (_, j) => (i * 7 + j) % 256)].join(','));
  return new Blob([lines.join('\n') + '\n']);
}

/** A `text,label` CSV of `n` short reviews in 3 classes. */
function textCsv(n: number): Blob {
  const words = ['good', 'bad', 'film', 'movie', 'story', 'very', 'not', 'really'];
  const lines = ['text,label'];
  for (let i = 0; i < n; i++)
    lines.push(`"the ${words[i % 8]} ${words[(i * 3) % 8]} was ${words[(i * 5) % 8]}",${i % 3}`);
  return new Blob([lines.join('\n') + '\n']);
}

describe('a user dataset read by imported models of its kind', () => {
  let engine: EngineApi;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-readers-'));
    await symlink(resolve('public/datasets'), join(dir, 'datasets'));
    await mkdir(join(dir, 'models'));
    await writeFile(join(dir, 'models', 'manifest.json'), '{"version": 1, "models": []}');
    engine = createEngine(nodeEngineHost(dir));
    await engine.init({ backend: 'wasm' });
  });

  it('28×28 grey images are analysed by an 8×8 RGB ViT (resized and converted as it reads)', async () => {
    const staged = await engine.importDataset({
      files: [{ path: 'digits.csv', file: pixelCsv(40) }],
      format: 'csv',
      title: 'digits.csv',
    });
    const data = await engine.useImportedDataset(staged.id, 0.2);
    expect(data.inputShape).toEqual([28, 28, 1]);
    const vit = await engine.importModel(checkpoint('src/engine/import/fixtures/vit-a', 'vit-a'));
    const fit = vit.datasets.find((d) => d.dataset === data.name);
    expect(fit).toMatchObject({ fits: true });
    expect(fit?.note).toMatch(/28×28×1 images are resized to 8×8×3/);
    const info = await engine.useImportedModel(vit.token, data.name);
    expect(info.dataset).toBe(data.name); // no copy made for the model
    await engine.analyze(request(info.id, data.name)); // warm-up
    const before = await engine.numTensors();
    const result = await engine.analyze(request(info.id, data.name));
    expect(result.n).toBe(8);
    expect(result.accuracy).toHaveLength(3); // 3 classes, as the head
    expect(await engine.numTensors()).toBe(before);
  });

  it('raw texts are split by an imported BERT’s vocab.txt, whichever dataset it opened on', async () => {
    const staged = await engine.importDataset({
      files: [{ path: 'reviews.csv', file: textCsv(40) }],
      format: 'csv',
      title: 'reviews.csv',
    });
    expect(staged.summary.preview.texts?.[0]).toMatch(/^the /);
    const data = await engine.useImportedDataset(staged.id, 0.2);
    const dir = 'e2e/fixtures/models/bert-imdb';
    // Opened on IMDB first (re-encoded copy), then pointed at the user's texts.
    const first = await engine.importModel(checkpoint(dir, 'bert-imdb', 'vocab.txt'));
    const onImdb = await engine.useImportedModel(first.token, 'imdb');
    const a = await engine.analyze(request(onImdb.id, data.name));
    expect(a.n).toBe(8);
    expect(a.accuracyUnavailable).toMatch(/head has 2 classes, the dataset 3/);
    // Opened on the user's texts directly.
    const second = await engine.importModel(checkpoint(dir, 'bert-imdb', 'vocab.txt'));
    expect(second.datasets.find((d) => d.dataset === data.name)?.note).toMatch(
      /split into word pieces with bert-imdb\/vocab\.txt/,
    );
    const onUser = await engine.useImportedModel(second.token, data.name);
    expect(onUser.dataset).toBe(data.name);
    const b = await engine.analyze(request(onUser.id, data.name));
    expect(b.metrics.cosine).toEqual(a.metrics.cosine); // same weights, same tokens
    // A fine-tune with a new 3-class head keeps reading them with the same vocab.txt.
    const tuned = await engine.startTraining(
      {
        baseModelId: onUser.id,
        dataset: data.name,
        loss: 'aligned',
        weighting: 'linear',
        lr: 1e-3,
        batchSize: 8,
        steps: 2,
        seed: 0,
        evalEvery: 2,
      },
      () => undefined,
      { snapshotEvery: 0 },
    );
    expect(tuned).toMatchObject({ numClasses: 3, dataset: data.name });
    expect((await engine.analyze(request(tuned.id, data.name))).accuracy).toHaveLength(3);
  });
});
