import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DECODER_FIXTURES, decoderFolder } from '../../engine/decoder/fixtures/decoderCases';
import { analyzeCommand } from './analyze';
import { commandContext, tempFolder } from '../testing';

const tmp = tempFolder('lmsim');
const { ctx, logs } = commandContext();

type Matrices = { cosine: number[][]; cka: number[][] };
const REFERENCE = JSON.parse(readFileSync(`${DECODER_FIXTURES}similarity.json`, 'utf8')) as {
  cases: Record<string, Record<'last' | 'tokens', Matrices> & { realTokens: number }>;
  across: { model: string; versusModel: string; input: string; last: Matrices };
};

const input = (name: string) => join(decoderFolder(name), 'input.npz');
const report = (out: string) => JSON.parse(readFileSync(join(out, 'similarity.json'), 'utf8'));
const maxAbsDiff = (a: number[][], b: number[][]) =>
  Math.max(...b.flatMap((row, i) => row.map((v, j) => Math.abs(a[i][j] - v))));

describe('strata analyze on decoders', () => {
  it.each([
    ['llama-a', 'tokens'], // left padding
    ['gpt2-a', 'last'], // right padding
  ] as const)(
    '%s, --pooling %s: the reference matrices and the rows recorded',
    async (name, pooling) => {
      const out = tmp(`${name}-${pooling}`);
      const argv = ['--model', decoderFolder(name), '--input', input(name), '--pooling', pooling];
      await analyzeCommand([...argv, '--metrics', 'cosine,cka', '--out', out], ctx);
      const r = report(out);
      const want = REFERENCE.cases[name];
      expect(maxAbsDiff(r.metrics.cosine, want[pooling].cosine)).toBeLessThan(1e-4);
      expect(maxAbsDiff(r.metrics.cka, want[pooling].cka)).toBeLessThan(1e-4);
      expect(r.layers[0]).toBe('embeddings');
      expect(r).toMatchObject({ model: name, pooling, realTokens: want.realTokens });
      if (pooling === 'tokens')
        expect(r).toMatchObject({ rows: 22, n: 22, maxRows: 4096, seed: 0 });
      else {
        expect(r).toMatchObject({ rows: 3, n: 3 });
        expect(r.seed).toBeUndefined();
      }
    },
  );

  it('--max-rows draws the same rows for the same --seed and says so', async () => {
    const outs = ['a', 'b', 'c'].map((x) => tmp(`capped-${x}`));
    const seeds = ['4', '4', '5'];
    for (const [i, out] of outs.entries()) {
      logs.length = 0;
      const argv = ['--model', decoderFolder('llama-a'), '--input', input('llama-a')];
      const capped = ['--pooling', 'tokens', '--max-rows', '6', '--seed', seeds[i]];
      await analyzeCommand([...argv, ...capped, '--metrics', 'cka', '--out', out], ctx);
      expect(logs.join('\n')).toContain(
        `note: 6 of 22 real tokens kept per layer (uniform draw, seed ${seeds[i]}`,
      );
    }
    const [a, b, c] = outs.map(report);
    expect(a).toMatchObject({ n: 6, rows: 6, realTokens: 22, maxRows: 6, seed: 4 });
    expect(b.metrics.cka).toEqual(a.metrics.cka);
    expect(c.metrics.cka).not.toEqual(a.metrics.cka);
  });

  it('--versus-model: the cross matrices of two decoders on the same ids', async () => {
    const { model, versusModel, input: ids, last } = REFERENCE.across;
    const out = tmp('across');
    const argv = ['--model', decoderFolder(model), '--versus-model', decoderFolder(versusModel)];
    const file = join(DECODER_FIXTURES, ids);
    await analyzeCommand([...argv, '--input', file, '--metrics', 'cosine,cka', '--out', out], ctx);
    const r = report(out);
    expect(r).toMatchObject({ model, versusModel, pooling: 'last', rows: 3 });
    expect(r.versusLayers).toHaveLength(3);
    expect(maxAbsDiff(r.metrics.cosine, last.cosine)).toBeLessThan(1e-4);
    expect(maxAbsDiff(r.metrics.cka, last.cka)).toBeLessThan(1e-4);
  });

  it.each([
    [['--pooling', 'cls'], '--pooling cls: a decoder has no class token'],
    [['--pooling', 'max'], '--pooling max: expected one of last, tokens, mean'],
    [['--max-rows', '8'], '--max-rows caps the token rows of --pooling tokens; --pooling is last'],
    [['--dataset', 'mnist'], 'give --dataset D (encoders) or --input IDS (decoders), not both'],
  ])('refuses %j before writing anything', async (flags, message) => {
    const out = tmp('refused');
    const argv = ['--model', decoderFolder('gpt2-a'), '--input', input('gpt2-a'), ...flags];
    await expect(analyzeCommand([...argv, '--out', out], ctx)).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an encoder with --input, naming the folder', async () => {
    const out = tmp('encoder');
    const argv = ['--model', 'mnist-aligned', '--input', input('gpt2-a'), '--out', out];
    await expect(analyzeCommand(argv, ctx)).rejects.toThrow(
      /holds token ids for a decoder, but .*mnist-aligned is not a decoder checkpoint/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a second decoder of another vocabulary', async () => {
    const out = tmp('vocab');
    const argv = ['--model', decoderFolder('llama-b'), '--versus-model', decoderFolder('llama-c')];
    await expect(
      analyzeCommand([...argv, '--input', input('llama-c'), '--out', out], ctx),
    ).rejects.toThrow('has a vocabulary of 64 tokens and --model');
    expect(existsSync(out)).toBe(false);
  });
});
