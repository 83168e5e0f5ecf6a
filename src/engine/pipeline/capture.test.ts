import { beforeAll, describe, expect, it } from 'vitest';
import type { DataSplit } from '../data/types';
import { PRESETS, type ModelConfig } from '../model/config';
import { initParams } from '../model/params';
import { initNodeBackend } from '../nodeBackend';
import { tf } from '../tf';
import { captureLayers, tokenRowCap, TOKEN_ROWS_BYTES } from './capture';
import { forwardBatchSize } from './inputs';

const config: ModelConfig = {
  ...PRESETS['vit-mnist'],
  numLayers: 2,
  hiddenSize: 16,
  numHeads: 2,
  mlpSize: 32,
};
const TOKENS = 17; // 16 patches + the class token

function split(n: number): DataSplit {
  const x = new Uint8Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = (i * 7919) % 256;
  return { n, x, y: Uint8Array.from({ length: n }, (_, i) => i % 10) } as DataSplit;
}

describe('captureLayers with tokens pooling', () => {
  let model: { config: ModelConfig; params: ReturnType<typeof initParams> };
  const dataset = { kind: 'image' as const, inputShape: [28, 28, 1] };
  const n = 7;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  beforeAll(async () => {
    await initNodeBackend('cpu');
    model = { config, params: initParams(config, 5) };
  });

  it('keeps every token row under the cap and says so', async () => {
    const all = await captureLayers(model, dataset, split(n), rows, {
      pooling: 'tokens',
      batchSize: 3,
    });
    expect(all.tokenRows).toEqual({
      kept: n * TOKENS,
      total: n * TOKENS,
      cap: tokenRowCap(config),
    });
    expect(all.layers.map((l) => l.n)).toEqual([n * TOKENS, n * TOKENS, n * TOKENS]);
  });

  it('stops keeping rows at the cap, mid-batch, and keeps the first rows exactly', async () => {
    const before = tf.memory().numTensors;
    const all = await captureLayers(model, dataset, split(n), rows, {
      pooling: 'tokens',
      batchSize: 3,
    });
    const capped = await captureLayers(model, dataset, split(n), rows, {
      pooling: 'tokens',
      batchSize: 3,
      maxTokenRows: 40, // inside the second batch (rows 51..101 come from samples 3..5)
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(capped.tokenRows).toEqual({ kept: 40, total: n * TOKENS, cap: 40 });
    for (let l = 0; l <= config.numLayers; l++) {
      expect(capped.layers[l].n).toBe(40);
      expect(capped.layers[l].data).toEqual(all.layers[l].data.subarray(0, 40 * config.hiddenSize));
      // The classifier still reads every sample: accuracy does not depend on the cap.
      expect(capped.logits[l]).toEqual(all.logits[l]);
    }
  });

  it('bounds the bytes kept whatever the model: BERT-base keeps 13,443 rows per layer', () => {
    const bert = { numLayers: 12, hiddenSize: 768 };
    expect(tokenRowCap(bert)).toBe(13_443);
    expect(tokenRowCap(bert) * 13 * 768 * 4).toBeLessThanOrEqual(TOKEN_ROWS_BYTES);
  });

  it('has no cap and no count for pooled captures', async () => {
    const pooled = await captureLayers(model, dataset, split(n), rows, { pooling: 'cls' });
    expect(pooled.tokenRows).toBeUndefined();
    expect(pooled.layers[0].n).toBe(n);
  });
});

describe('forwardBatchSize', () => {
  it('keeps the cap for the built-in models and bounds a real-size batch', () => {
    expect(forwardBatchSize(config, 128)).toBe(128);
    const bertBase: ModelConfig = {
      ...PRESETS['text-imdb'],
      maxLength: 128,
      hiddenSize: 768,
      numLayers: 12,
      numHeads: 12,
      mlpSize: 3072,
    };
    const b = forwardBatchSize(bertBase, 128);
    expect(b).toBeGreaterThanOrEqual(8);
    expect(b).toBeLessThan(32);
    expect(forwardBatchSize({ ...bertBase, maxLength: 512 }, 128)).toBeLessThan(b / 3);
  });
});
