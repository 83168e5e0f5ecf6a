import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { tf } from '../engine/tf';
import { initNodeBackend } from '../engine/nodeBackend';
import { checkpointFolderFiles } from './checkpointFolder';
import { readNpy } from '../engine/io/npy';
import { readNpz } from '../engine/io/npz';
import { forward } from '../engine/model/forward';
import { disposeParams } from '../engine/model/params';
import { maxAbsDiff } from '../engine/import/fixtures/cases';
import { loadCheckpointFiles } from '../engine/import/checkpointFiles';
import { modelInputFromArrays } from '../engine/import/modelInputArrays';

// src/engine/import/fixtures/half-sharded/make_half_sharded.py: a tiny ViT saved by transformers in float16 and in
// bfloat16, in three shards with an index; outputs from transformers on the same weights.
const FOLDER = new URL('../engine/import/fixtures/half-sharded/', import.meta.url).pathname;

describe.each(['f16', 'bf16'])('a %s checkpoint in shards, as save_pretrained wrote it', (name) => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('matches every hidden state and the logits of transformers within 1e-5', async () => {
    const folder = `${FOLDER}${name}`;
    const model = await loadCheckpointFiles(await checkpointFolderFiles(folder, name), name);
    expect(model.format).toBe('ViTForImageClassification');
    const input = modelInputFromArrays(
      [readNpy(new Uint8Array(readFileSync(`${folder}/input.npy`)), 'input.npy')],
      model.config,
      'input.npy',
    );
    const pixels = tf.tensor4d(
      (input as { pixels: Float32Array }).pixels,
      input.shape as [number, number, number, number],
    );
    const capture = tf.tidy(() => forward(model.params, model.config, { kind: 'image', pixels }));
    const expected = new Map(
      readNpz(new Uint8Array(readFileSync(`${folder}/expected.npz`)), 'expected.npz', {
        maxTotalBytes: 1024 ** 2,
      }).map((a) => [a.name, a.data]),
    );
    for (const [l, h] of capture.hidden.entries())
      expect(maxAbsDiff(await h.data(), expected.get(`hidden_${l}`)!), `hidden_${l}`).toBeLessThan(
        1e-5,
      );
    expect(maxAbsDiff(await capture.finalLogits.data(), expected.get('logits')!)).toBeLessThan(
      1e-5,
    );
    tf.dispose([pixels, capture]);
    disposeParams(model.params);
  });
});
