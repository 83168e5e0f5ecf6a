// The dataset import entry points through the engine API: stage, resplit, use, discard; a user's
// dataset analysed and fine-tuned with a built-in model; no tensor left behind.
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi } from '../api';
import { initNodeBackend } from '../nodeBackend';
import { nodeEngineHost } from '../nodeHost';
import { tinyPublicDir } from './testing';

const publicDir = () => tinyPublicDir('strata-import-', 3);

/** A `label,pixel0,…` CSV of `n` images of `side`², labels cycling through `classes`. */
function pixelCsv(n: number, side: number, classes: number): Blob {
  const p = side * side;
  const lines = [['label', ...Array.from({ length: p }, (_, j) => `pixel${j}`)].join(',')];
  for (let i = 0; i < n; i++)
    lines.push([i % classes, ...Array.from({ length: p }, (_, j) => (i * 7 + j) % 256)].join(','));
  return new Blob([lines.join('\n') + '\n']);
}

const analysis = (dataset: string) => ({
  modelId: 'tiny-aligned',
  dataset,
  samples: 16,
  seed: 0,
  pooling: 'cls' as const,
  metrics: ['cosine' as const, 'cka' as const],
  finalNormInHead: true,
  batchSize: 8,
  rbfT: 0.5,
});

describe('dataset imports through the engine API', () => {
  let engine: EngineApi;
  beforeAll(async () => {
    await initNodeBackend('cpu');
    engine = createEngine(nodeEngineHost(await publicDir()));
    await engine.init({ backend: 'cpu' });
  });

  it('stages, resplits and registers a user MNIST CSV that the mnist models analyse', async () => {
    const before = await engine.numTensors();
    const events: number[] = [];
    const staged = await engine.importDataset(
      {
        files: [{ path: 'digits.csv', file: pixelCsv(50, 28, 10) }],
        format: 'csv',
        title: 'digits.csv',
      },
      (e) => events.push(e.done),
    );
    expect(events.length).toBeGreaterThan(0);
    expect(staged).toMatchObject({ testFraction: 0.2 });
    expect(staged.summary).toMatchObject({
      trainCount: 40,
      testCount: 10,
      inputShape: [28, 28, 1],
    });
    expect((await engine.resplitImportedDataset(staged.id, 0.3)).summary.testCount).toBe(15);
    await expect(engine.resplitImportedDataset(staged.id, 0.9)).rejects.toThrow(
      'test fraction 0.9: expected a number from 0.05 to 0.5',
    );
    const info = await engine.useImportedDataset(staged.id, 0.3);
    expect(info).toMatchObject({
      name: 'user-digits',
      origin: 'user',
      testCount: 15,
    });
    expect((await engine.listDatasets()).map((d) => d.name)).toContain('user-digits');
    expect((await engine.loadDataset('user-digits')).testClassCounts.reduce((a, b) => a + b)).toBe(
      15,
    );
    expect(await engine.numTensors()).toBe(before);
    const result = await engine.analyze(analysis('user-digits'));
    expect(result.n).toBe(15);
    expect(result.accuracy).toHaveLength(3);
    const after = await engine.numTensors();
    await engine.analyze({ ...analysis('user-digits'), seed: 1 });
    expect(await engine.numTensors()).toBe(after); // leak check after warm-up
  });

  it('reads images of another size; says what the model needs when classes differ; training starts a new head', async () => {
    const small = await engine.importDataset({
      files: [{ path: 'small.csv', file: pixelCsv(20, 4, 2) }],
      format: 'csv',
      title: 'small.csv',
    });
    expect(small.summary.inputShape).toEqual([4, 4, 1]);
    expect(small.notes[0]).toMatch(/Images are kept at 4×4×1/);
    await engine.useImportedDataset(small.id, 0.2);
    // Kept at 4×4, resized to the model's 28×28 batch by batch as it reads them.
    const before = await engine.numTensors();
    const resized = await engine.analyze(analysis('user-small'));
    expect(resized.n).toBe(4);
    expect(Object.keys(resized.metrics).length).toBeGreaterThan(0); // 2 classes: no accuracy
    expect(await engine.numTensors()).toBe(before);
    const three = await engine.importDataset({
      files: [{ path: 'three.csv', file: pixelCsv(30, 28, 3) }],
      format: 'csv',
      title: 'three.csv',
    });
    await engine.useImportedDataset(three.id, 0.2);
    // Similarity needs no labels: the 10-class model is analysed on the 3-class data, without
    // accuracy, and says why; early exit (which needs the head's classes) still refuses.
    const unlabelled = await engine.analyze(analysis('user-three'));
    expect(unlabelled.accuracy).toEqual([]);
    expect(unlabelled.loss).toEqual([]);
    expect(unlabelled.accuracyUnavailable).toBe(
      "the model's head has 10 classes, the dataset 3: per-layer accuracy needs a head for the dataset's classes (fine-tuning on it starts one)",
    );
    const metrics = Object.values(unlabelled.metrics);
    expect(metrics.length).toBeGreaterThan(0);
    // (h_0 is the class token alone with cls pooling, the same for every sample: its row is null.)
    for (const m of metrics) expect(m!.at(-1)!.at(-1)).toBeCloseTo(1, 5);
    expect(unlabelled.classMeans.points[0]).toHaveLength(3);
    expect(unlabelled.saturationHistogram.reduce((x, y) => x + y)).toBe(unlabelled.n);
    await expect(
      engine.exitTradeoff({
        modelId: 'tiny-aligned',
        dataset: 'user-three',
        samples: 6,
        seed: 0,
        rule: 'confidence',
      }),
    ).rejects.toThrow(
      "the model's head has 10 classes, the dataset 3 (fine-tuning on it starts a new 3-class head)",
    );
    const model = await engine.startTraining(
      {
        baseModelId: 'tiny-aligned',
        dataset: 'user-three',
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
    expect(model).toMatchObject({ numClasses: 3, dataset: 'user-three' });
    const result = await engine.analyze({ ...analysis('user-three'), modelId: model.id });
    expect(result.accuracy).toHaveLength(3);
  });

  it('discards a staged import and refuses to use it afterwards', async () => {
    const staged = await engine.importDataset({
      files: [{ path: 'gone.csv', file: pixelCsv(10, 28, 2) }],
      format: 'csv',
      title: 'gone.csv',
    });
    await engine.discardImportedDataset(staged.id);
    await expect(engine.useImportedDataset(staged.id, 0.2)).rejects.toThrow(
      'no such staged dataset',
    );
    expect((await engine.listDatasets()).some((d) => d.name === 'user-gone')).toBe(false);
  });
});
