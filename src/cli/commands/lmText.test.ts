// `strata lm-exits --text` and `strata generate --prompt`: texts through the model folder's
// tokenizer.json give what the ids transformers made of the same texts give.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/api';
import { decoderFolder } from '../../engine/decoder/fixtures/decoderCases';
import { nodeEngineHost } from '../../engine/nodeHost';
import type { CommandContext } from '../context';
import { generateCommand } from './generate';
import { lmExitsCommand } from './lmExits';

let dir: string;
const logs: string[] = [];
const ctx: CommandContext = {
  backend: null,
  async startEngine() {
    const engine = createEngine(nodeEngineHost());
    ctx.backend = await engine.init({ backend: 'cpu' });
    return engine;
  },
  log: (line) => logs.push(line),
};

const model = decoderFolder('llama-text');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
/** transformers' ids of "Hello world" (row 0 of input.npz, left-padded). */
const HELLO_IDS = [1, 307, 75, 281, 288, 288, 291, 307, 346, 288, 280];

describe('strata lm-exits --text and generate --prompt', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-lm-text-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lm-exits --text gives the curves of transformers' ids of the same texts", async () => {
    const [byIds, byText] = [join(dir, 'ids'), join(dir, 'text')];
    await lmExitsCommand(['--model', model, '--input', `${model}/input.npz`, '--out', byIds], ctx);
    await lmExitsCommand(['--model', model, '--text', `${model}/texts.txt`, '--out', byText], ctx);
    const [a, b] = [byIds, byText].map((d) => readJson(join(d, 'lm-exits.json')));
    expect(b.input).toBe('texts.txt');
    expect(b.models).toEqual(a.models);
    expect(a.models[0].tokens).toBeGreaterThan(0);
  });

  it('lm-exits --text --max-length and --samples cut the texts; a folder without tokenizer.json is named', async () => {
    const out = join(dir, 'cut');
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
      lmExitsCommand(['--model', model, '--text', join(dir, 'none.txt'), '--out', out], ctx),
    ).rejects.toThrow(join(dir, 'none.txt'));
  });

  it('generate --prompt reads the prompt as transformers does and decodes the new ids', async () => {
    const [byIds, byText] = [join(dir, 'gen-ids'), join(dir, 'gen-text')];
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
    const rest = ['--rule', 'confidence', '--threshold', '0.5', '--out', join(dir, 'x')];
    await expect(
      generateCommand(['--model', bare, '--prompt', 'Hello', ...rest], ctx),
    ).rejects.toThrow(`the model folder ${bare} has no tokenizer.json`);
    await expect(
      generateCommand(['--model', model, '--prompt', 'Hello', '--prompt-ids', '1', ...rest], ctx),
    ).rejects.toThrow('one of them');
  });
});
