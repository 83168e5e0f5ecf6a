// engine.lmExits and engine.generate as the page drives them: the checkpoint folder as Blobs,
// texts read with its tokenizer.json, values equal to `strata lm-exits` and `strata generate` on
// the ids transformers made of the same texts; progress, abort and no tensor left behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCommand } from './generate';
import { lmExitsCommand } from './lmExits';
import { createEngine, type EngineApi, type ProgressEvent } from '../../engine/api';
import { decoderFiles, decoderFolder } from '../../engine/decoder/fixtures/decoderCases';
import { nodeEngineHost } from '../../engine/nodeHost';
import { isTaskAborted } from '../../engine/tasks';
import { commandContext, decoderTextFiles, readJson, tempFolder } from '../testing';

let engine: EngineApi;
const tmp = tempFolder('lm-requests');
const { ctx } = commandContext(() => engine);
beforeAll(async () => {
  engine = createEngine(nodeEngineHost());
  await engine.init({ backend: 'cpu' });
});

const folder = decoderFolder('llama-text');

const texts = readFileSync(`${folder}/texts.txt`, 'utf8').trim().split('\n');
/** transformers' ids of texts[0] ("Hello world"): row 0 of input.npz, left-padded. */
const HELLO_IDS = [1, 307, 75, 281, 288, 288, 291, 307, 346, 288, 280];

describe('engine.lmExits', () => {
  it("reads texts with the checkpoint's tokenizer: the curves of `strata lm-exits` on transformers' ids, no leak", async () => {
    const out = tmp('lm-exits');
    await lmExitsCommand(['--model', folder, '--input', `${folder}/input.npz`, '--out', out], ctx);
    const [cli] = readJson(join(out, 'lm-exits.json')).models;
    const request = {
      files: await decoderTextFiles('llama-text'),
      source: 'llama-text',
      text: { texts, source: 'texts.txt' },
      batchSize: 2,
    };
    await engine.lmExits(request); // warm-up
    const before = await engine.numTensors();
    const events: ProgressEvent[] = [];
    const result = await engine.lmExits(request, (e) => events.push(e));
    expect(await engine.numTensors()).toBe(before);
    expect([result.architecture, result.layers, result.truncated]).toEqual([
      'LlamaForCausalLM',
      2,
      0,
    ]);
    expect(result.tokens).toBe(cli.tokens);
    expect(JSON.parse(JSON.stringify(result.curves))).toEqual(cli.curves);
    expect(new Set(events.map((e) => e.phase))).toEqual(new Set(['load', 'exits']));
    expect(events.filter((e) => e.phase === 'exits').at(-1)).toMatchObject({ done: 5, total: 5 });
  });

  it('stops between batches when its task is aborted, freeing the model', async () => {
    const before = await engine.numTensors();
    const request = {
      files: await decoderTextFiles('llama-text'),
      source: 'llama-text',
      text: { texts, source: 't' },
      batchSize: 1,
    };
    const done: number[] = [];
    const run = engine.lmExits(
      request,
      (e) => {
        if (e.phase !== 'exits') return;
        done.push(e.done);
        void engine.abortTask('exits-1');
      },
      'exits-1',
    );
    expect(isTaskAborted(await run.catch((e: unknown) => e))).toBe(true);
    expect(done).toEqual([1]);
    expect(await engine.numTensors()).toBe(before);
  });

  it('refuses a classifier before reading its weights, naming it', async () => {
    const request = {
      files: await decoderFiles('gpt2-cls'),
      source: 'my-cls',
      text: { texts, source: 't' },
    };
    await expect(engine.lmExits(request)).rejects.toThrow(
      'my-cls: gpt2-cls/config.json is GPT2ForSequenceClassification, a classifier',
    );
  });
});

describe('engine.generate', () => {
  const options = { maxNew: 4, rule: 'entropy' as const, threshold: 5 };

  it('tokenizes a prompt as transformers does: the tokens of `strata generate --prompt-ids`, decoded back', async () => {
    const out = tmp('generate');
    await generateCommand(
      [
        ...['--model', folder, '--prompt-ids', HELLO_IDS.join(','), '--max-new', '4'],
        ...['--rule', 'entropy', '--threshold', '5', '--out', out],
      ],
      ctx,
    );
    const [cli] = readJson(join(out, 'generate.json')).samples;
    const request = {
      files: await decoderTextFiles('llama-text'),
      source: 'llama-text',
      text: { texts: [texts[0]], source: 'prompt' },
      ...options,
    };
    await engine.generate(request); // warm-up
    const before = await engine.numTensors();
    const events: ProgressEvent[] = [];
    const { samples, layers } = await engine.generate(request, (e) => events.push(e));
    expect(await engine.numTensors()).toBe(before);
    expect(layers).toBe(2);
    const [sample] = samples;
    expect(sample.prompt).toEqual(HELLO_IDS);
    const bare = sample.tokens.map(({ token, exitLayer, confidence }) => ({
      token,
      exitLayer,
      confidence,
    }));
    expect(bare).toEqual(cli.tokens);
    expect(sample.promptText).toBe('Hello world');
    expect(typeof sample.text).toBe('string');
    expect(sample.tokens.every((g) => typeof g.text === 'string')).toBe(true);
    expect(new Set(events.map((e) => e.phase))).toEqual(new Set(['load', 'tokens', 'generate']));
  });

  it('stops between prompts when its task is aborted, freeing the model', async () => {
    const before = await engine.numTensors();
    const request = {
      files: await decoderTextFiles('llama-text'),
      source: 'llama-text',
      text: { texts, source: 't' },
      ...options,
    };
    const done: number[] = [];
    const run = engine.generate(
      request,
      (e) => {
        if (e.phase !== 'generate') return;
        done.push(e.done);
        void engine.abortTask('generate-1');
      },
      'generate-1',
    );
    expect(isTaskAborted(await run.catch((e: unknown) => e))).toBe(true);
    expect(done).toEqual([1]);
    expect(await engine.numTensors()).toBe(before);
  });

  it('stops between two tokens of one prompt when its task is aborted', async () => {
    const before = await engine.numTensors();
    const request = {
      files: await decoderTextFiles('llama-text'),
      source: 'llama-text',
      text: { texts: [texts[0]], source: 'prompt' },
      ...options,
      maxNew: 6,
    };
    const tokens: number[] = [];
    const run = engine.generate(
      request,
      (e) => {
        if (e.phase !== 'tokens') return;
        tokens.push(e.done);
        expect(e.total).toBe(6);
        if (e.done === 2) void engine.abortTask('generate-2');
      },
      'generate-2',
    );
    expect(isTaskAborted(await run.catch((e: unknown) => e))).toBe(true);
    expect(tokens).toEqual([1, 2]);
    expect(await engine.numTensors()).toBe(before);
  });

  it('gives no text for token ids, and names tokenizer.json when a prompt comes without one', async () => {
    const ids = [
      {
        name: 'input_ids',
        dtype: 'int32' as const,
        shape: [1, 3],
        data: Int32Array.from([1, 307, 75]),
      },
    ];
    const { samples } = await engine.generate({
      files: await decoderTextFiles('llama-text'),
      source: 'x',
      input: ids,
      ...options,
    });
    expect(samples[0].prompt).toEqual([1, 307, 75]);
    expect(samples[0].text).toBeUndefined();
    const before = await engine.numTensors();
    await expect(
      engine.generate({
        files: await decoderFiles('llama-a'),
        source: 'my-llama',
        text: { texts, source: 't' },
        ...options,
      }),
    ).rejects.toThrow('my-llama: no tokenizer.json beside llama-a/config.json');
    expect(await engine.numTensors()).toBe(before);
  });
});
