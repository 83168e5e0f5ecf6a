// A fine-tune on a user's dataset resumed on a fresh engine (as after a reload): the resumed run
// reads the rows through the model's own view (resized per batch), as the first run did.
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi, type TrainEvent, type TrainRequest } from '../api';
import type { TrainSnapshot } from '../apiTypes';
import { readSafetensors } from '../io/safetensors';
import { initNodeBackend } from '../nodeBackend';
import { nodeEngineHost } from '../nodeHost';
import { tinyPublicDir } from './testing';

/** A `label,pixel0,…` CSV of `n` images of `side`², labels cycling through `classes`. */
function pixelCsv(n: number, side: number, classes: number): Blob {
  const p = side * side;
  const lines = [['label', ...Array.from({ length: p }, (_, j) => `pixel${j}`)].join(',')];
  for (let i = 0; i < n; i++)
    lines.push([i % classes, ...Array.from({ length: p }, (_, j) => (i * 7 + j) % 256)].join(','));
  return new Blob([lines.join('\n') + '\n']);
}

// 36×36 images on a model that reads 28×28, with a new 3-class head.
const REQUEST: TrainRequest = {
  baseModelId: 'tiny-aligned',
  dataset: 'user-big',
  loss: 'aligned',
  weighting: 'linear',
  lr: 2e-3,
  batchSize: 4,
  steps: 4,
  seed: 3,
  evalEvery: 2,
};

const snapshotsOf = (events: TrainEvent[]): TrainSnapshot[] =>
  events.flatMap((e) => (e.type === 'snapshot' ? [e.snapshot] : []));

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  const x = readSafetensors(a, 'a').tensors;
  const y = new Map(readSafetensors(b, 'b').tensors.map((t) => [t.name, t.data]));
  let max = 0;
  for (const t of x) {
    const other = y.get(t.name)!;
    for (let i = 0; i < t.data.length; i++) max = Math.max(max, Math.abs(t.data[i] - other[i]));
  }
  return max;
}

describe("a resumed fine-tune on a user's dataset of another image size", () => {
  let dir: string;
  /** A fresh engine with the user's 36×36 dataset registered again, as the page does on reload. */
  const fresh = async (classes = 3): Promise<EngineApi> => {
    const engine = createEngine(nodeEngineHost(dir));
    await engine.init({ backend: 'cpu' });
    const staged = await engine.importDataset({
      files: [{ path: 'big.csv', file: pixelCsv(24, 36, classes) }],
      format: 'csv',
      title: 'big.csv',
    });
    expect(staged.summary.inputShape).toEqual([36, 36, 1]);
    await engine.useImportedDataset(staged.id, 0.25);
    return engine;
  };
  let straight: TrainSnapshot[];

  beforeAll(async () => {
    await initNodeBackend('cpu');
    dir = await tinyPublicDir('strata-resume-user-', 4);
    const events: TrainEvent[] = [];
    await (await fresh()).startTraining(REQUEST, (e) => events.push(e), { snapshotEvery: 2 });
    straight = snapshotsOf(events);
    expect(straight.map((s) => s.step)).toEqual([2, 4]);
  });

  it('continues from step 3 on the resized rows and ends at the straight run’s weights', async () => {
    const engine = await fresh();
    const before = await engine.numTensors();
    const events: TrainEvent[] = [];
    const info = await engine.startTraining(REQUEST, (e) => events.push(e), {
      resumeFrom: straight[0],
      snapshotEvery: 2,
    });
    expect(info).toMatchObject({ id: straight[0].model.id, numClasses: 3 });
    expect(events.flatMap((e) => (e.type === 'log' ? [e.log.step] : []))).toEqual([3, 4]);
    const [end] = snapshotsOf(events);
    expect(end.step).toBe(4);
    expect(maxDifference(end.weights, straight[1].weights)).toBeLessThan(1e-5);
    // Only the resumed model's weights stay.
    const perModel = readSafetensors(end.weights, 'w').tensors.length;
    expect(await engine.numTensors()).toBe(before + perModel);
  });

  it('refuses a dataset of other classes under the same name, and frees the restored weights', async () => {
    const engine = await fresh(2);
    const before = await engine.numTensors();
    await expect(
      engine.startTraining(REQUEST, () => undefined, { resumeFrom: straight[0] }),
    ).rejects.toThrow(
      `snapshot of ${straight[0].model.id}: the model (image, 3 classes) cannot read dataset "user-big"`,
    );
    expect(await engine.numTensors()).toBe(before);
  });
});
