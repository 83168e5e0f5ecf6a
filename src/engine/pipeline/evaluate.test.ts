import { beforeAll, describe, expect, it } from 'vitest';
import { PRESETS, type ModelConfig } from '../model/config';
import { initParams } from '../model/params';
import { initNodeBackend } from '../nodeBackend';
import { tf } from '../tf';
import type { DataSplit } from '../data/types';
import { collectExitLogits, collectExitLogitsOfHeads } from './evaluate';

const config: ModelConfig = {
  ...PRESETS['vit-mnist'],
  numLayers: 3,
  hiddenSize: 16,
  numHeads: 2,
  mlpSize: 32,
  heads: 'per-layer',
};

/** n random 28×28 grey images with labels 0..9. */
function split(n: number): DataSplit {
  const x = new Uint8Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = (i * 7919) % 256;
  return { n, x, y: Uint8Array.from({ length: n }, (_, i) => i % 10) } as DataSplit;
}

describe('collectExitLogitsOfHeads', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it("gives each head's logits exactly as separate passes do, in the order asked, leaking nothing", async () => {
    const model = { config, params: initParams(config, 3) };
    const dataset = { kind: 'image' as const, inputShape: [28, 28, 1] };
    const test = split(37);
    const rows = Int32Array.from({ length: 37 }, (_, i) => 36 - i);
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const [own, shared] = await collectExitLogitsOfHeads(
      model,
      dataset,
      test,
      rows,
      ['multihead', 'aligned'],
      { batchSize: 16, onProgress: (done) => progress.push(done) },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(progress).toEqual([16, 32, 37]);
    const ownAlone = await collectExitLogits(model, dataset, test, rows, { heads: 'multihead' });
    const sharedAlone = await collectExitLogits(model, dataset, test, rows, { heads: 'aligned' });
    expect(own.logits).toEqual(ownAlone.logits);
    expect(shared.logits).toEqual(sharedAlone.logits);
    expect(own.labels).toEqual(Int32Array.from(rows, (r) => r % 10));
    // the two classifiers differ below the last layer: the comparison is not vacuous
    expect(own.logits[0]).not.toEqual(shared.logits[0]);
    tf.disposeVariables();
  });
});
