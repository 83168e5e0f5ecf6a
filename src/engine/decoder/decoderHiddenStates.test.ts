import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { decoderInputFromArrays } from './decoderInput';
import { decoderHiddenStates } from './decoderHiddenStates';
import { disposeDecoderParams, type DecoderParams } from './decoderWeights';
import type { HiddenStatesPiece } from '../io/hiddenStatesPieces';
import type { NamedArray } from '../io/dtypes';
import { loadDecoder } from './loadDecoder';
import {
  DECODER_CASES,
  decoderExpected,
  decoderFiles,
  decoderInputArrays,
  maxRelDiffReal,
} from './fixtures/decoderCases';

describe('decoderHiddenStates', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it.each(DECODER_CASES.map((c) => [c.name, c] as const))(
    '%s: hidden_0 … hidden_L and logits of transformers within 1e-4 at real positions',
    async (name, c) => {
      const { params } = await loadDecoder(await decoderFiles(name));
      const arrays = decoderInputArrays(name);
      const input = decoderInputFromArrays(arrays, params.config, 'input.npz');
      const states = await decoderHiddenStates(params, input, { batchSize: 2 });
      disposeDecoderParams(params);
      const expected = decoderExpected(name);
      expect(states.map((s) => s.name)).toEqual([...expected.keys()]);
      expect(states).toHaveLength(c.layers + 2);
      const mask = arrays.find((a) => a.name === 'attention_mask')!.data as ArrayLike<number>;
      for (const s of states) {
        const want = expected.get(s.name)!;
        expect(s.shape, s.name).toEqual(want.shape);
        const width = s.shape[s.shape.length - 1];
        // A classifier's logits have one row per sample, every one compared.
        const rows = s.shape.length === 2 ? new Float32Array(s.shape[0]).fill(1) : mask;
        const diff = maxRelDiffReal(s.data as Float32Array, want.data as Float32Array, width, rows);
        expect(diff, s.name).toBeLessThan(1e-4);
      }
    },
  );

  it('leaves no tensor behind', async () => {
    const { params } = await loadDecoder(await decoderFiles('llama-a'));
    const input = decoderInputFromArrays(decoderInputArrays('llama-a'), params.config, 'input.npz');
    const before = tf.memory().numTensors;
    await decoderHiddenStates(params, input, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    disposeDecoderParams(params);
  });

  it('reads a wide vocabulary’s logits a few positions at a time: memory bounded by the slice, values unchanged', async () => {
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
    const sliceBytes = 4 * vocab; // one position
    const batchLogitBytes = 4 * input.n * input.t * vocab;
    const run = async (bytes: number) => {
      const before = tf.memory().numBytes;
      let states: NamedArray[] = [];
      const info = await tf.profile(async () => {
        states = await decoderHiddenStates(wide, input, { batchSize: input.n, sliceBytes: bytes });
      });
      return { extra: info.peakBytes - before, states };
    };
    const sliced = await run(sliceBytes);
    const whole = await run(2 ** 30);
    tf.dispose(wide.tensors.get('unembed'));
    disposeDecoderParams(params);
    expect(batchLogitBytes).toBeGreaterThan(8 * sliceBytes); // more than eight slices a batch
    // One slice's logits and the forward's temporaries, never the batch's [B, T, V].
    expect(sliced.extra).toBeLessThan(batchLogitBytes / 2);
    expect(whole.extra).toBeGreaterThanOrEqual(batchLogitBytes);
    const logits = sliced.states[sliced.states.length - 1];
    expect(logits.shape).toEqual([input.n, input.t, vocab]);
    expect(logits.data).toEqual(whole.states[whole.states.length - 1].data);
  });

  it('with a sink, sends every batch as it is read (logits a slice at a time) and returns nothing', async () => {
    const { params } = await loadDecoder(await decoderFiles('gpt2-a'));
    const input = decoderInputFromArrays(decoderInputArrays('gpt2-a'), params.config, 'i');
    const whole = await decoderHiddenStates(params, input, { batchSize: 2 });
    const vocab = params.config.vocabSize;
    const sliceBytes = 4 * vocab * 3; // three positions
    const pieces: HiddenStatesPiece[] = [];
    const returned = await decoderHiddenStates(params, input, {
      batchSize: 2,
      sliceBytes,
      sink: (p) => void pieces.push({ ...p, data: p.data.slice() }),
    });
    disposeDecoderParams(params);
    expect(returned).toEqual([]);
    // The pieces of each array, in order, rebuild it exactly; none is more than a batch's rows.
    for (const array of whole) {
      const mine = pieces.filter((p) => p.name === array.name);
      const rowElements = array.data.length / input.n;
      const largest = array.name === 'logits' ? sliceBytes / 4 : 2 * rowElements;
      expect(Math.max(...mine.map((p) => p.data.length)), array.name).toBeLessThanOrEqual(largest);
      expect(mine.every((p) => p.shape.join() === array.shape.join())).toBe(true);
      let next = 0;
      for (const p of mine) {
        expect(p.offset, array.name).toBe(next);
        next += p.data.length;
      }
      expect(next).toBe(array.data.length);
      const rebuilt = new Float32Array(next);
      for (const p of mine) rebuilt.set(p.data, p.offset);
      expect(rebuilt).toEqual(array.data);
    }
    // An array's first piece follows the first piece of every array before it (file order).
    const firsts = [...new Set(pieces.map((p) => p.name))];
    expect(firsts).toEqual(whole.map((a) => a.name));
    // Batch by batch: the second batch's hidden_0 comes after the first batch's logits.
    const at = (name: string, offset: number) =>
      pieces.findIndex((p) => p.name === name && p.offset === offset);
    expect(at('hidden_0', 2 * input.t * params.config.hiddenSize)).toBeGreaterThan(at('logits', 0));
  });

  it('refuses more GPT-2 tokens than its position table holds, leaving no tensor behind', async () => {
    const { params } = await loadDecoder(await decoderFiles('gpt2-a'));
    const t = 17; // n_positions is 16
    const input = { n: 1, t, ids: new Int32Array(t), mask: new Float32Array(t).fill(1) };
    const before = tf.memory().numTensors;
    await expect(decoderHiddenStates(params, input)).rejects.toThrow(
      'model input: 17 tokens per sample, expected at most n_positions = 16',
    );
    expect(tf.memory().numTensors).toBe(before);
    disposeDecoderParams(params);
  });
});
