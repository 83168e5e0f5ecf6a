import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { decoderInputFromArrays } from './decoderInput';
import { disposeDecoderParams, type DecoderParams } from './decoderWeights';
import { loadDecoder } from './loadDecoder';
import { lensSlicePositions, logitLens, type LensResult } from './logitLens';
import {
  DECODER_CASES,
  decoderFiles,
  decoderInputArrays,
  decoderLensReference,
} from './fixtures/decoderCases';

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('logitLens', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it.each(DECODER_CASES.filter((c) => c.lens).map((c) => [c.name] as const))(
    '%s: accuracy, loss, KL and rank per layer match the torch reference within 1e-4',
    async (name) => {
      const { params } = await loadDecoder(await decoderFiles(name));
      const input = decoderInputFromArrays(decoderInputArrays(name), params.config, 'input.npz');
      const lens = await logitLens(params, input, { batchSize: 2 });
      disposeDecoderParams(params);
      const want = decoderLensReference(name);
      expect(lens.layers).toEqual(want.layers);
      expect(lens.tokens).toBe(want.tokens);
      for (const key of ['accuracy', 'loss', 'kl', 'rank'] as const) {
        lens[key].forEach((v, l) =>
          expect(relative(v, want[key][l]), `${key}[${l}]`).toBeLessThan(1e-4),
        );
      }
      expect(lens.kl[lens.kl.length - 1]).toBeCloseTo(0, 5);
      expect(lens.rank[lens.rank.length - 1]).toBe(1);
    },
  );

  it('refuses a classifier and leaves no tensor behind', async () => {
    const cls = await loadDecoder(await decoderFiles('gpt2-cls'));
    const clsInput = decoderInputFromArrays(decoderInputArrays('gpt2-cls'), cls.params.config, 'i');
    await expect(logitLens(cls.params, clsInput)).rejects.toThrow(/classification head/);
    disposeDecoderParams(cls.params);
    const { params } = await loadDecoder(await decoderFiles('qwen2-a'));
    const input = decoderInputFromArrays(decoderInputArrays('qwen2-a'), params.config, 'i');
    const before = tf.memory().numTensors;
    await logitLens(params, input, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    disposeDecoderParams(params);
  });

  it('scores a large vocabulary a few positions at a time: memory bounded by the slice, values unchanged', async () => {
    // GPT-2's 50257 tokens: 166 positions per 32 MiB [P, V] slice.
    expect(lensSlicePositions(50257)).toBe(166);
    expect(lensSlicePositions(10 ** 9)).toBe(1);
    const { params } = await loadDecoder(await decoderFiles('gpt2-a'));
    const vocab = 16384;
    const wide: DecoderParams = {
      config: { ...params.config, vocabSize: vocab },
      tensors: new Map(params.tensors).set(
        'unembed',
        tf.randomNormal([params.config.hiddenSize, vocab], 0, 1, 'float32', 7),
      ),
    };
    const input = decoderInputFromArrays(decoderInputArrays('gpt2-a'), params.config, 'i');
    const sliceBytes = 4 * 4 * vocab; // four positions
    const run = async (bytes: number) => {
      const before = tf.memory().numBytes;
      const info = await tf.profile(
        async () =>
          (await logitLens(wide, input, {
            batchSize: input.n,
            sliceBytes: bytes,
          })) as unknown as tf.TensorContainer,
      );
      return { extra: info.peakBytes - before, lens: info.result as unknown as LensResult };
    };
    const sliced = await run(sliceBytes);
    const whole = await run(2 ** 30);
    tf.dispose(wide.tensors.get('unembed'));
    disposeDecoderParams(params);
    expect(sliced.lens.tokens).toBeGreaterThan(12); // more than three slices
    // Logits, the final distribution and two temporaries of one slice, with room for the forward.
    expect(sliced.extra).toBeLessThan(8 * sliceBytes);
    for (const key of ['accuracy', 'loss', 'kl', 'rank'] as const)
      sliced.lens[key].forEach((v, l) =>
        expect(relative(v, whole.lens[key][l]), `${key}[${l}]`).toBeLessThan(1e-5),
      );
  });
});

describe('logitLens on wasm (float32 sums, as the command line runs)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('is unchanged by a shift common to a position’s logits (GPT-2’s sit near −100); an untied head: KL summed per position', async () => {
    const { params } = await loadDecoder(await decoderFiles('llama-a'));
    const input = decoderInputFromArrays(decoderInputArrays('llama-a'), params.config, 'i');
    const d = params.config.hiddenSize;
    const vocab = 32000;
    const table = tf.randomNormal([d, vocab], 0, 0.05, 'float32', 11);
    // Every logit of a position moves by h · u: softmax, ranks and every lens value stay.
    const shifted = tf.tidy(() => tf.add(table, tf.randomNormal([d, 1], 0, 10, 'float32', 12)));
    const lensWith = (unembed: tf.Tensor) =>
      logitLens(
        {
          config: { ...params.config, vocabSize: vocab },
          tensors: new Map(params.tensors).set('unembed', unembed),
        },
        input,
        { batchSize: input.n },
      );
    const plain = await lensWith(table);
    const moved = await lensWith(shifted);
    tf.dispose([table, shifted]);
    disposeDecoderParams(params);
    for (const key of ['accuracy', 'loss', 'kl', 'rank'] as const)
      moved[key].forEach((v, l) =>
        expect(relative(v, plain[key][l]), `${key}[${l}]`).toBeLessThan(1e-4),
      );
  });
});
