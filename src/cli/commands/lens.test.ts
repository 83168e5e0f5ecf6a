import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpz } from '../../engine/io/npz';
import {
  decoderExpected,
  decoderFolder,
  decoderInputArrays,
  decoderLensReference,
  maxRelDiffReal,
} from '../../engine/decoder/fixtures/decoderCases';
import { CLI_ZIP_LIMITS } from '../limits';
import { hiddenStatesCommand } from './hiddenStates';
import { lensCommand } from './lens';
import { commandContext, relative, tempFolder } from '../testing';

const tmp = tempFolder('lens');
const { ctx } = commandContext();

describe('strata lens and hidden-states on decoders', () => {
  it('lens writes DIR/lens.json equal to the torch reference within 1e-4 (Llama, GQA)', async () => {
    const out = tmp('llama');
    const model = decoderFolder('llama-a');
    await lensCommand(['--model', model, '--input', `${model}/input.npz`, '--out', out], ctx);
    const lens = JSON.parse(readFileSync(join(out, 'lens.json'), 'utf8'));
    const want = decoderLensReference('llama-a');
    expect(Object.keys(lens).sort()).toEqual([
      'accuracy',
      'kl',
      'layers',
      'loss',
      'rank',
      'tokens',
    ]);
    expect([lens.layers, lens.tokens]).toEqual([want.layers, want.tokens]);
    for (const key of ['accuracy', 'loss', 'kl', 'rank'] as const)
      want[key].forEach((v, l) =>
        expect(relative(lens[key][l], v), `${key}[${l}]`).toBeLessThan(1e-4),
      );
  });

  it('--samples N scores the first N rows only', async () => {
    const out = tmp('one');
    const model = decoderFolder('gpt2-a');
    const argv = [
      '--model',
      model,
      '--input',
      `${model}/input.npz`,
      '--samples',
      '1',
      '--out',
      out,
    ];
    await lensCommand(argv, ctx);
    const lens = JSON.parse(readFileSync(join(out, 'lens.json'), 'utf8'));
    const mask = decoderInputArrays('gpt2-a').find((a) => a.name === 'attention_mask')!;
    const t = mask.shape[1];
    const realFirstRow = Array.from(mask.data as ArrayLike<number>)
      .slice(0, t)
      .filter(Number).length;
    expect(lens.tokens).toBe(realFirstRow - 1);
  });

  it('lens refuses a classifier, naming it', async () => {
    const model = decoderFolder('gpt2-cls');
    const argv = ['--model', model, '--input', `${model}/input.npz`, '--out', tmp('cls')];
    await expect(lensCommand(argv, ctx)).rejects.toThrow(
      /GPT2ForSequenceClassification has a classification head/,
    );
  });

  it("hidden-states writes a decoder's hidden states and [N, T, V] logits (Qwen2)", async () => {
    const out = tmp('qwen.npz');
    const model = decoderFolder('qwen2-a');
    await hiddenStatesCommand(
      ['--model', model, '--input', `${model}/input.npz`, '--out', out],
      ctx,
    );
    const written = readNpz(new Uint8Array(readFileSync(out)), out, CLI_ZIP_LIMITS);
    const expected = decoderExpected('qwen2-a');
    const mask = decoderInputArrays('qwen2-a').find((a) => a.name === 'attention_mask')!;
    expect(written.map((a) => a.name)).toEqual([...expected.keys()]);
    for (const a of written) {
      const want = expected.get(a.name)!;
      expect(a.shape).toEqual(want.shape);
      const width = a.shape[a.shape.length - 1];
      const diff = maxRelDiffReal(
        a.data as Float32Array,
        want.data as Float32Array,
        width,
        mask.data as ArrayLike<number>,
      );
      expect(diff, a.name).toBeLessThan(1e-4);
    }
    expect(expected.get('logits')!.shape).toHaveLength(3);
  });
});
