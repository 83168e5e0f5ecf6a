// engine.decoderSimilarity as the page drives it (the folder as Blobs, texts read with its
// tokenizer.json) gives the matrices `strata analyze` writes on transformers' ids of the same
// texts; `strata analyze --text` gives them too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi, type ProgressEvent } from '../../engine/api';
import { decoderFiles, decoderFolder } from '../../engine/decoder/fixtures/decoderCases';
import { nodeEngineHost } from '../../engine/nodeHost';
import { isTaskAborted } from '../../engine/tasks';
import { analyzeCommand } from './analyze';
import { commandContext, decoderTextFiles, tempFolder } from '../testing';

let engine: EngineApi;
const tmp = tempFolder('decoder-similarity');
const { ctx } = commandContext(() => engine);
beforeAll(async () => {
  engine = createEngine(nodeEngineHost());
  await engine.init({ backend: 'cpu' });
});

const folder = decoderFolder('llama-text');
const texts = readFileSync(`${folder}/texts.txt`, 'utf8').trim().split('\n');
const similarity = (out: string) => JSON.parse(readFileSync(join(out, 'similarity.json'), 'utf8'));

describe('engine.decoderSimilarity', () => {
  it("reads texts with the checkpoint's tokenizer: the matrices of `strata analyze` on transformers' ids, no leak", async () => {
    const out = tmp('ids');
    const flags = ['--pooling', 'mean', '--metrics', 'cka,cosine', '--out', out];
    await analyzeCommand(['--model', folder, '--input', `${folder}/input.npz`, ...flags], ctx);
    const cli = similarity(out);
    const request = {
      files: await decoderTextFiles('llama-text'),
      source: 'llama-text',
      text: { texts, source: 'texts.txt' },
      pooling: 'mean' as const,
      metrics: ['cka' as const, 'cosine' as const],
    };
    await engine.decoderSimilarity(request); // warm-up
    const before = await engine.numTensors();
    const events: ProgressEvent[] = [];
    const result = await engine.decoderSimilarity(request, (e) => events.push(e));
    expect(await engine.numTensors()).toBe(before);
    expect(result.facts).toEqual({ pooling: 'mean', rows: 5, realTokens: cli.realTokens });
    expect(result.architecture).toBe('LlamaForCausalLM');
    expect(JSON.parse(JSON.stringify(result.report.metrics))).toEqual(cli.metrics);
    expect(new Set(events.map((e) => e.phase))).toEqual(new Set(['load', 'hidden states']));
  });

  it('compares two decoders on the same texts; stops between batches when aborted, freeing the model', async () => {
    const files = await decoderTextFiles('llama-text');
    const request = {
      files,
      source: 'llama-text',
      text: { texts, source: 'texts.txt' },
      pooling: 'last' as const,
      metrics: ['cka' as const],
      versus: { files, source: 'again' },
    };
    const { report, versusArchitecture } = await engine.decoderSimilarity(request);
    expect(versusArchitecture).toBe('LlamaForCausalLM');
    const cka = report.metrics.cka!;
    cka.forEach((row, i) => expect(row[i]).toBeCloseTo(1, 5));
    const before = await engine.numTensors();
    const done: number[] = [];
    const run = engine.decoderSimilarity(
      { ...request, batchSize: 1 },
      (e) => {
        if (e.phase !== 'hidden states') return;
        done.push(e.done);
        void engine.abortTask('similarity-1');
      },
      'similarity-1',
    );
    expect(isTaskAborted(await run.catch((e: unknown) => e))).toBe(true);
    expect(done).toEqual([1]);
    expect(await engine.numTensors()).toBe(before);
  });

  it('names the checkpoint that is no decoder, and the one of another vocabulary', async () => {
    const files = await decoderTextFiles('llama-text');
    const input = {
      files,
      source: 'llama-text',
      text: { texts, source: 't' },
      pooling: 'last' as const,
    };
    await expect(
      engine.decoderSimilarity({
        ...input,
        versus: { files: await decoderFiles('llama-c'), source: 'my-c' },
      }),
    ).rejects.toThrow('my-c: a vocabulary of 64 tokens, llama-text of 376');
  });
});

describe('strata analyze --text', () => {
  it("gives the matrices of transformers' ids of the same texts; --samples keeps the first", async () => {
    const [byIds, byText, first] = ['a-ids', 'a-text', 'a-first'].map((d) => tmp(d));
    const flags = ['--model', folder, '--pooling', 'last', '--metrics', 'cka'];
    await analyzeCommand([...flags, '--input', `${folder}/input.npz`, '--out', byIds], ctx);
    await analyzeCommand([...flags, '--text', `${folder}/texts.txt`, '--out', byText], ctx);
    const [a, b] = [similarity(byIds), similarity(byText)];
    expect(b.input).toBe('texts.txt');
    expect(b.metrics).toEqual(a.metrics);
    expect(b.rows).toBe(5);
    await analyzeCommand(
      [...flags, '--text', `${folder}/texts.txt`, '--samples', '3', '--out', first],
      ctx,
    );
    expect(similarity(first).rows).toBe(3);
    const bare = decoderFolder('llama-a');
    await expect(
      analyzeCommand(['--model', bare, '--text', `${folder}/texts.txt`, '--out', tmp('x')], ctx),
    ).rejects.toThrow(`the model folder ${bare} has no tokenizer.json`);
  });
});
