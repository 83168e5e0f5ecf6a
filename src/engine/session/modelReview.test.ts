// A dropped checkpoint is reviewed from its config and header alone; its weights load afterwards,
// with bytes and tensors counted, can be stopped, and "use" waits for them.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { DatasetInfo, ProgressEvent } from '../apiTypes';
import { checkpointFiles } from '../import/fixtures/cases';
import { readSafetensors } from '../io/safetensors';
import { isTaskAborted } from '../tasks';
import { ModelImports } from './modelImports';
import { ModelRegistry } from './models';

/** A dropped File that records the length of every slice read. */
class CountingBlob extends Blob {
  readonly slices: number[] = [];
  override slice(start?: number, end?: number, type?: string): Blob {
    this.slices.push((end ?? this.size) - (start ?? 0));
    return super.slice(start, end, type);
  }
}

const RGB8 = {
  name: 'rgb8',
  title: 'rgb8',
  kind: 'image',
  classNames: ['a', 'b', 'c'],
  inputShape: [8, 8, 3],
  trainCount: 10,
  testCount: 10,
  source: '',
  licence: '',
} as DatasetInfo;

function dropped() {
  const files = checkpointFiles('vit-a');
  const weights = new CountingBlob([files.weights as Uint8Array<ArrayBuffer>]);
  const request = {
    name: 'vit-a',
    config: {
      path: 'vit-a/config.json',
      file: new Blob([files.config as Uint8Array<ArrayBuffer>]),
    },
    weights: { path: 'vit-a/model.safetensors', file: weights },
  };
  const { tensors } = readSafetensors(files.weights, 'x');
  return { request, weights, tensors };
}

function fresh() {
  const registry = new ModelRegistry(() => Promise.reject(new Error('no assets in this test')));
  return { registry, imports: new ModelImports(registry) };
}

describe('reviewing a dropped checkpoint before its weights', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('sums it up from the header alone: no tensor read, none allocated', async () => {
    const { request, weights, tensors } = dropped();
    const { imports } = fresh();
    const before = tf.memory().numTensors;
    const summary = await imports.review(request, [RGB8]);
    expect(tf.memory().numTensors).toBe(before);
    const size = (t: { data: { length: number } }) => t.data.length;
    expect(summary.parameters).toBe(tensors.reduce((s, t) => s + size(t), 0));
    expect(summary.weights).toEqual({
      tensors: tensors.length,
      bytes: tensors.reduce((s, t) => s + size(t) * 4, 0),
    });
    // Only the 8-byte header length and the header itself were read.
    expect(weights.slices.length).toBe(2);
    expect(weights.slices[0]).toBe(8);
    expect(summary.datasets[0]).toMatchObject({ dataset: 'rgb8', fits: true });
    // The same numbers as a full stage reports.
    const staged = await fresh().imports.stage(dropped().request, [RGB8]);
    expect({ ...staged, token: summary.token }).toEqual(summary);
    imports.discard(summary.token);
  });

  it('loads the weights counting bytes and tensors; commit waits for the load', async () => {
    const { request, tensors } = dropped();
    const { imports, registry } = fresh();
    const summary = await imports.review(request, [RGB8]);
    const events: ProgressEvent[] = [];
    const loading = imports.loadWeights(summary.token, (e) => events.push(e));
    const info = await imports.commit(summary.token, RGB8, () => Promise.reject(new Error('-')));
    await loading;
    const last = events.at(-1)!;
    expect(last).toEqual({
      phase: 'reading the weights',
      done: summary.weights.bytes,
      total: summary.weights.bytes,
      tensors: { done: tensors.length, total: tensors.length },
    });
    expect(events.map((e) => e.tensors!.done)).toEqual(tensors.map((_, i) => i + 1));
    expect(info.parameters).toBe(summary.parameters);
    expect(info.tokensPerSample).toBe(5); // 8×8 image, 4×4 patches, and the class token
    expect(registry.list().map((m) => m.id)).toContain(info.id);
  });

  it('stops a load when cancelled or discarded, keeping no tensor', async () => {
    const { request } = dropped();
    const { imports } = fresh();
    const before = tf.memory().numTensors;
    const summary = await imports.review(request, [RGB8]);
    const stop = new AbortController();
    const cancelled = imports.loadWeights(
      summary.token,
      (e) => e.tensors!.done === 2 && stop.abort(),
      stop.signal,
    );
    await expect(cancelled).rejects.toSatisfy(isTaskAborted);
    expect(tf.memory().numTensors).toBe(before);
    // Still reviewed: the weights may be asked for again, and a discard stops that load too.
    const again = imports.loadWeights(summary.token, (e) => {
      if (e.tensors!.done === 1) imports.discard(summary.token);
    });
    await expect(again).rejects.toSatisfy(isTaskAborted);
    expect(tf.memory().numTensors).toBe(before);
    await expect(imports.loadWeights(summary.token)).rejects.toThrow(
      'no staged model import "import-1" (it was used or cancelled already)',
    );
  });
});
