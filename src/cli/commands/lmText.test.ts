// `strata lm-exits --text` and `strata generate --prompt`: texts through the model folder's
// tokenizer.json give what the ids transformers made of the same texts give.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decoderFolder } from '../../engine/decoder/fixtures/decoderCases';
import { generateCommand } from './generate';
import { lmExitsCommand } from './lmExits';
import { commandContext, readJson, tempFolder } from '../testing';

const tmp = tempFolder('lm-text');
const { ctx, logs } = commandContext();

const model = decoderFolder('llama-text');
/** transformers' ids of "Hello world" (row 0 of input.npz, left-padded). */
const HELLO_IDS = [1, 307, 75, 281, 288, 288, 291, 307, 346, 288, 280];

describe('strata lm-exits --text and generate --prompt', () => {
  it("lm-exits --text gives the curves of transformers' ids of the same texts", async () => {
    const [byIds, byText] = [tmp('ids'), tmp('text')];
    await lmExitsCommand(['--model', model, '--input', `${model}/input.npz`, '--out', byIds], ctx);
    await lmExitsCommand(['--model', model, '--text', `${model}/texts.txt`, '--out', byText], ctx);
    const [a, b] = [byIds, byText].map((d) => readJson(join(d, 'lm-exits.json')));
    expect(b.input).toBe('texts.txt');
    expect(b.models).toEqual(a.models);
    expect(a.models[0].tokens).toBeGreaterThan(0);
  });

  it('lm-exits --text --max-length and --samples cut the texts; a folder without tokenizer.json is named', async () => {
    const out = tmp('cut');
    const argv = ['--model', model, '--text', `${model}/texts.txt`, '--out', out];
    await lmExitsCommand([...argv, '--max-length', '4', '--samples', '2'], ctx);
    // 2 texts of 4 ids each: 3 scored positions per text.
    expect(readJson(join(out, 'lm-exits.json')).models[0].tokens).toBe(6);
    expect(logs.at(-1)).toBe('note: 2 text(s) cut at --max-length 4');
    const bare = decoderFolder('llama-a');
    await expect(
      lmExitsCommand(['--model', bare, '--text', `${model}/texts.txt`, '--out', out], ctx),
    ).rejects.toThrow(`the model folder ${bare} has no tokenizer.json`);
    await expect(
      lmExitsCommand(['--model', model, '--text', tmp('none.txt'), '--out', out], ctx),
    ).rejects.toThrow(tmp('none.txt'));
  });

  it('generate --prompt reads the prompt as transformers does and decodes the new ids', async () => {
    const [byIds, byText] = [tmp('gen-ids'), tmp('gen-text')];
    const rest = ['--max-new', '5', '--rule', 'confidence', '--threshold', '0.02'];
    await generateCommand(
      ['--model', model, '--prompt-ids', HELLO_IDS.join(','), ...rest, '--out', byIds],
      ctx,
    );
    await generateCommand(
      ['--model', model, '--prompt', 'Hello world', ...rest, '--out', byText],
      ctx,
    );
    const [a, b] = [byIds, byText].map((d) => readJson(join(d, 'generate.json')).samples[0]);
    expect(b.prompt).toEqual(HELLO_IDS);
    expect(
      b.tokens.map((g: { token: number; exitLayer: number }) => [g.token, g.exitLayer]),
    ).toEqual(a.tokens.map((g: { token: number; exitLayer: number }) => [g.token, g.exitLayer]));
    expect(b.promptText).toBe('Hello world');
    expect(typeof b.text).toBe('string');
    expect(b.tokens.every((g: { text?: unknown }) => typeof g.text === 'string')).toBe(true);
    expect(a.text).toBeUndefined();
    expect(logs.at(-2)).toBe(`"Hello world" → ${JSON.stringify(b.text)}`);
  });

  it('generate --prompt without tokenizer.json, or with --prompt-ids, is a usage error', async () => {
    const bare = decoderFolder('llama-a');
    const rest = ['--rule', 'confidence', '--threshold', '0.5', '--out', tmp('x')];
    await expect(
      generateCommand(['--model', bare, '--prompt', 'Hello', ...rest], ctx),
    ).rejects.toThrow(`the model folder ${bare} has no tokenizer.json`);
    await expect(
      generateCommand(['--model', model, '--prompt', 'Hello', '--prompt-ids', '1', ...rest], ctx),
    ).rejects.toThrow('one of them');
  });
});
