import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor2D, Tensor4D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { PRESETS, type TextConfig, type VisionConfig } from './config';
import { forward, sharedHead, type Capture, type ModelInput } from './forward';
import { disposeParams, initParams, type ModelParams } from './params';
import { maxAbsDiff } from './fixtures/reference';

const text: TextConfig = {
  ...PRESETS['text-imdb'],
  vocabSize: 60,
  maxLength: 12,
  hiddenSize: 16,
  numLayers: 3,
  numHeads: 2,
  mlpSize: 24,
};
const vit: VisionConfig = PRESETS['vit-mnist'];

/** ids [B, t] padded with 0 to `width`, and the matching float mask. */
function textInput(rows: number[][], width: number): ModelInput & { kind: 'text' } {
  const ids = rows.map((r) => [...r, ...Array<number>(width - r.length).fill(0)]);
  const mask = rows.map((r) => Array.from({ length: width }, (_, i) => (i < r.length ? 1 : 0)));
  return {
    kind: 'text',
    ids: tf.tensor2d(ids, undefined, 'int32'),
    mask: tf.tensor2d(mask, undefined, 'float32'),
  };
}

function disposeInput(input: ModelInput): void {
  tf.dispose(input.kind === 'text' ? [input.ids, input.mask] : [input.pixels]);
}

async function read(t: tf.Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

describe.each(['cpu', 'wasm'] as const)('forward on %s', (backend) => {
  let textParams: ModelParams;
  let vitParams: ModelParams;
  beforeAll(async () => {
    await initNodeBackend(backend);
    textParams = initParams(text, 1);
    vitParams = initParams({ ...vit, heads: 'per-layer' }, 2);
  });
  afterAll(() => {
    disposeParams(textParams);
    disposeParams(vitParams);
  });

  it('captures h_0..h_L, pooled and logits per layer for the vit-mnist preset (17 tokens)', async () => {
    const config = { ...vit, heads: 'per-layer' as const };
    const pixels = tf.randomUniform([3, 1, 28, 28], 0, 1, 'float32', 5) as Tensor4D;
    const c = tf.tidy(() => forward(vitParams, config, { kind: 'image', pixels }));
    expect(c.layers).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(c.hidden.map((h) => h.shape)).toEqual(Array(7).fill([3, 17, 64]));
    expect(c.pooled.map((p) => p.shape)).toEqual(Array(7).fill([3, 64]));
    expect(c.logits.map((p) => p.shape)).toEqual(Array(7).fill([3, 10]));
    expect(c.layerHeadLogits?.map((p) => p.shape)).toEqual(Array(6).fill([3, 10]));
    expect(c.finalLogits.shape).toEqual([3, 10]);
    expect(c.tokenMask).toBeUndefined();
    // The model's own output is the shared head on the last layer with the default options.
    expect(maxAbsDiff(await read(c.finalLogits), await read(c.logits[6]))).toBe(0);
    // cls pooling is token 0 of each h_l.
    const h2 = await read(c.hidden[2]);
    const cls = Array.from({ length: 3 }, (_, b) =>
      Array.from(h2.subarray(b * 17 * 64, b * 17 * 64 + 64)),
    ).flat();
    expect(maxAbsDiff(await read(c.pooled[2]), cls)).toBe(0);
    tf.dispose([pixels, c]);
  });

  it('layers: last pools and classifies layer L only, equal to the full capture', async () => {
    const input = textInput(
      [
        [3, 4, 5],
        [6, 7],
      ],
      4,
    );
    const [all, last] = tf.tidy(() => [
      forward(textParams, text, input),
      forward(textParams, text, input, { layers: 'last' }),
    ]);
    expect(last.layers).toEqual([3]);
    expect(last.pooled.length).toBe(1);
    expect(last.hidden.length).toBe(4);
    expect(maxAbsDiff(await read(last.logits[0]), await read(all.logits[3]))).toBe(0);
    tf.dispose([all, last]);
    disposeInput(input);
  });

  it('finalNormInHead: false reads the classifier straight off the pooled vector', async () => {
    const input = textInput([[3, 4, 5]], 3);
    const c = tf.tidy(() => forward(textParams, text, input, { finalNormInHead: false }));
    const { weight, bias } = textParams.head.classifier;
    const expected = tf.tidy(() => tf.add(tf.matMul(c.pooled[2], weight), bias!));
    expect(maxAbsDiff(await read(c.logits[2]), await read(expected))).toBeLessThan(1e-6);
    const normed = tf.tidy(() => sharedHead(textParams, text, c.pooled[2]));
    expect(maxAbsDiff(await read(normed), await read(expected))).toBeGreaterThan(1e-3);
    tf.dispose([c, expected, normed]);
    disposeInput(input);
  });

  it('is invariant to padding appended with mask 0 (cls and mean pooling, every layer)', async () => {
    const rows = [
      [5, 9, 2, 7],
      [11, 3],
    ];
    const short = textInput(rows, 4);
    const long = textInput(rows, 9);
    for (const pooling of ['cls', 'mean'] as const) {
      const [a, b] = tf.tidy(() => [
        forward(textParams, text, short, { pooling }),
        forward(textParams, text, long, { pooling }),
      ]);
      for (let l = 0; l <= text.numLayers; l++) {
        expect(
          maxAbsDiff(await read(a.pooled[l]), await read(b.pooled[l])),
          `${pooling} layer ${l}`,
        ).toBeLessThan(1e-5);
        expect(maxAbsDiff(await read(a.logits[l]), await read(b.logits[l]))).toBeLessThan(1e-5);
      }
      tf.dispose([a, b]);
    }
    // The same padding counted as real tokens does change the result: the mask is what matters.
    const unmasked = { ...long, mask: tf.onesLike(long.mask) as Tensor2D };
    const [a, b] = tf.tidy(() => [
      forward(textParams, text, short),
      forward(textParams, text, unmasked),
    ]);
    expect(maxAbsDiff(await read(a.pooled[3]), await read(b.pooled[3]))).toBeGreaterThan(1e-3);
    tf.dispose([a, b, unmasked.mask]);
    disposeInput(short);
    disposeInput(long);
  });

  it('mean pooling averages the real tokens only (class token included)', async () => {
    const input = textInput(
      [
        [5, 9, 2, 7],
        [11, 3],
      ],
      4,
    );
    const c = tf.tidy(() => forward(textParams, text, input, { pooling: 'mean' }));
    const h = await read(c.hidden[2]); // [2, 5, 16] with the class token
    const d = 16;
    const expected = [5, 3].flatMap((real, b) =>
      Array.from({ length: d }, (_, k) => {
        let sum = 0;
        for (let t = 0; t < real; t++) sum += h[(b * 5 + t) * d + k];
        return sum / real;
      }),
    );
    expect(maxAbsDiff(await read(c.pooled[2]), expected)).toBeLessThan(1e-5);
    tf.dispose(c);
    disposeInput(input);
  });

  it('tokens pooling gives one row per (sample, token), with the mask to pick the real ones', async () => {
    const input = textInput([[5, 9, 2], [11]], 3);
    const c = tf.tidy(() => forward(textParams, text, input, { pooling: 'tokens' }));
    expect(c.pooled[1].shape).toEqual([2 * 4, 16]);
    expect(c.logits[1].shape).toEqual([2 * 4, 2]);
    expect(c.tokenMask?.shape).toEqual([2, 4]);
    expect(Array.from(await read(c.tokenMask!))).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(maxAbsDiff(await read(c.pooled[1]), await read(c.hidden[1]))).toBe(0);
    expect(c.finalLogits.shape).toEqual([2, 2]);
    tf.dispose(c);
    disposeInput(input);
  });

  it('rejects input the model cannot read, naming what was expected', () => {
    const pixels = tf.zeros([1, 3, 28, 28]) as Tensor4D;
    expect(() => forward(vitParams, vit, { kind: 'image', pixels })).toThrow(
      'model input: pixels have shape [1, 3, 28, 28], expected [B, 1, 28, 28] (NCHW)',
    );
    const long = textInput([Array(13).fill(1)], 13);
    expect(() => forward(textParams, text, long)).toThrow(
      '13 token ids per sample, expected 1 to maxLength = 12',
    );
    expect(() => forward(textParams, text, { kind: 'image', pixels })).toThrow(
      'a text model with text parameters cannot read image input',
    );
    tf.dispose(pixels);
    disposeInput(long);
  });

  it('leaks nothing: forward in tidy, then dispose of the capture', () => {
    const input = textInput([[5, 9, 2], [11]], 3);
    const run = () => {
      const c: Capture = tf.tidy(() => forward(textParams, text, input, { pooling: 'mean' }));
      tf.dispose(c);
      tf.tidy(() => {
        sharedHead(textParams, text, tf.zeros([2, 16]) as Tensor2D);
      });
    };
    run(); // warm-up
    const before = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(before);
    disposeInput(input);
  });
});
