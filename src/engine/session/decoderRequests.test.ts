// Decoders through the engine API as the page drives it: files as Blobs, texts or ids in, the
// logit lens and hidden states out, with progress, abort and no tensor left behind.
import { openAsBlob, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi, type DecoderFiles, type ProgressEvent } from '../api';
import {
  decoderExpected,
  decoderFiles,
  decoderFolder,
  decoderInputArrays,
  decoderLensReference,
  maxRelDiffReal,
} from '../decoder/fixtures/decoderCases';
import { nodeEngineHost } from '../nodeHost';
import { isTaskAborted } from '../tasks';

let engine: EngineApi;
beforeAll(async () => {
  engine = createEngine(nodeEngineHost());
  await engine.init({ backend: 'cpu' });
});

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/** llama-text's folder as the page hands it over: config, weights, tokenizer files. */
async function llamaTextFiles(): Promise<DecoderFiles> {
  const folder = decoderFolder('llama-text');
  const blob = async (name: string) => ({
    path: `llama-text/${name}`,
    file: await openAsBlob(`${folder}/${name}`),
  });
  return {
    ...(await decoderFiles('llama-text')),
    tokenizer: await blob('tokenizer.json'),
    tokenizerConfig: await blob('tokenizer_config.json'),
  };
}

const texts = readFileSync(`${decoderFolder('llama-text')}/texts.txt`, 'utf8')
  .trim()
  .split('\n');

describe('engine.lens', () => {
  it('reads texts with the tokenizer beside the model: the lens of transformers, no leak', async () => {
    const request = {
      files: await llamaTextFiles(),
      source: 'llama-text',
      text: { texts, source: 'texts.txt' },
      batchSize: 2,
    };
    await engine.lens(request); // warm-up
    const before = await engine.numTensors();
    const events: ProgressEvent[] = [];
    const { lens, architecture, truncated } = await engine.lens(request, (e) => events.push(e));
    expect(await engine.numTensors()).toBe(before);
    expect([architecture, truncated]).toEqual(['LlamaForCausalLM', 0]);
    const want = decoderLensReference('llama-text');
    expect([lens.layers, lens.tokens]).toEqual([want.layers, want.tokens]);
    for (const key of ['accuracy', 'loss', 'kl', 'rank'] as const)
      want[key].forEach((v, l) =>
        expect(relative(lens[key][l], v), `${key}[${l}]`).toBeLessThan(1e-4),
      );
    expect(new Set(events.map((e) => e.phase))).toEqual(new Set(['load', 'lens']));
    expect(events.filter((e) => e.phase === 'lens').at(-1)).toMatchObject({ done: 5, total: 5 });
  });

  it('reads token ids too, and the first `samples` rows only', async () => {
    const request = {
      files: await decoderFiles('gpt2-a'),
      source: 'gpt2-a',
      input: decoderInputArrays('gpt2-a'),
      inputSource: 'input.npz',
    };
    const { lens } = await engine.lens(request);
    const want = decoderLensReference('gpt2-a');
    want.loss.forEach((v, l) => expect(relative(lens.loss[l], v)).toBeLessThan(1e-4));
    const one = await engine.lens({ ...request, samples: 1 });
    expect(one.lens.tokens).toBeLessThan(lens.tokens);
  });

  it('stops when its task is aborted, freeing the model', async () => {
    const before = await engine.numTensors();
    const request = {
      files: await llamaTextFiles(),
      source: 'llama-text',
      text: { texts, source: 't' },
    };
    const run = engine.lens(request, undefined, 'lens-1');
    await engine.abortTask('lens-1');
    const error = await run.catch((e: unknown) => e);
    expect(isTaskAborted(error)).toBe(true);
    expect(await engine.numTensors()).toBe(before);
  });

  it('names tokenizer.json when texts come without one, and frees the model', async () => {
    const before = await engine.numTensors();
    const request = {
      files: await decoderFiles('llama-a'),
      source: 'my-llama',
      text: { texts, source: 't' },
    };
    await expect(engine.lens(request)).rejects.toThrow(
      'my-llama: no tokenizer.json beside llama-a/config.json',
    );
    expect(await engine.numTensors()).toBe(before);
  });

  it('names the texts when their ids exceed the model vocabulary', async () => {
    const files = { ...(await llamaTextFiles()), ...(await decoderFiles('gpt2-a')) };
    await expect(
      engine.lens({
        files,
        source: 'gpt2-a',
        text: { texts: texts.slice(0, 1), source: 'texts.txt' },
      }),
    ).rejects.toThrow(
      /texts\.txt \(tokenized by llama-text\/tokenizer\.json\): input_ids holds \d+/,
    );
  });

  it('refuses a classifier before reading its weights, naming it', async () => {
    const request = {
      files: await decoderFiles('gpt2-cls'),
      source: 'my-cls',
      input: decoderInputArrays('gpt2-cls'),
    };
    await expect(engine.lens(request)).rejects.toThrow(
      'my-cls: gpt2-cls/config.json is GPT2ForSequenceClassification, a classifier',
    );
  });
});

describe('engine.hiddenStates on a decoder', () => {
  it("gives transformers' hidden states and logits (Qwen2), and keeps no tensor", async () => {
    const request = {
      files: await decoderFiles('qwen2-a'),
      source: 'qwen2-a',
      input: decoderInputArrays('qwen2-a'),
      inputSource: 'input.npz',
    };
    await engine.hiddenStates(request);
    const before = await engine.numTensors();
    const result = await engine.hiddenStates(request);
    expect(await engine.numTensors()).toBe(before);
    expect(result.format).toBe('Qwen2ForCausalLM');
    const expected = decoderExpected('qwen2-a');
    const mask = decoderInputArrays('qwen2-a').find((a) => a.name === 'attention_mask')!;
    expect(result.arrays.map((a) => a.name)).toEqual([...expected.keys()]);
    for (const a of result.arrays) {
      const width = a.shape[a.shape.length - 1];
      const want = expected.get(a.name)!.data as Float32Array;
      const diff = maxRelDiffReal(
        a.data as Float32Array,
        want,
        width,
        mask.data as ArrayLike<number>,
      );
      expect(diff, a.name).toBeLessThan(1e-4);
    }
  });
});

describe('engine.importModel on a decoder folder', () => {
  it('sums up the model and its tokenizer, reads every tensor, keeps none', async () => {
    const before = await engine.numTensors();
    const files = await llamaTextFiles();
    const events: ProgressEvent[] = [];
    const summary = await engine.importModel({ ...files, name: 'llama-text' }, (e) =>
      events.push(e),
    );
    expect(await engine.numTensors()).toBe(before);
    expect(summary.decoder).toEqual({
      architecture: 'LlamaForCausalLM',
      numLayers: 2,
      hiddenSize: 32,
      vocabSize: 376,
      numHeads: 4,
      numKvHeads: 2,
      tiedHead: true,
      tokenizer: {
        file: 'llama-text/tokenizer.json',
        kind: 'BPE (byte fallback)',
        vocabSize: 376,
      },
    });
    // embed 376×32, per layer 2 norms of 32, q 32×32, k and v 32×16, o 32×32, MLP 3 × 32×48; norm
    const layer = 2 * 32 + 32 * 32 + 2 * 32 * 16 + 32 * 32 + 3 * 32 * 48;
    expect(summary.parameters).toBe(376 * 32 + 2 * layer + 32);
    expect(summary.kind).toBe('text');
    expect(events.filter((e) => e.phase === 'load').at(-1)).toMatchObject({ done: 20, total: 20 });
    await expect(engine.useImportedModel(summary.token, 'imdb')).rejects.toThrow(
      'llama-text (LlamaForCausalLM): a language model is not listed as a classifier of imdb',
    );
    await engine.discardImportedModel(summary.token);
    // Then, as the page goes on: the lens of the same dropped files on the user's texts.
    const { lens } = await engine.lens({
      files,
      source: summary.name,
      text: { texts, source: 't' },
    });
    expect(lens.tokens).toBe(decoderLensReference('llama-text').tokens);
    expect(await engine.numTensors()).toBe(before);
  });

  it('says when no tokenizer came with it, and names a broken tokenizer.json', async () => {
    const summary = await engine.importModel({ ...(await decoderFiles('gpt2-a')), name: 'g' });
    expect([summary.decoder?.architecture, summary.decoder?.tokenizer]).toEqual([
      'GPT2LMHeadModel',
      undefined,
    ]);
    expect(summary.notes.join(' ')).toMatch(/no tokenizer\.json/);
    const broken = { path: 'g/tokenizer.json', file: new Blob(['{"model": {"type": "Nope"}}']) };
    const request = { ...(await decoderFiles('gpt2-a')), name: 'g', tokenizer: broken };
    await expect(engine.importModel(request)).rejects.toThrow(
      'g/tokenizer.json: model.type is "Nope", expected one of BPE, WordPiece, Unigram, WordLevel',
    );
  });
});
