// `--text` for the decoder commands: texts through the model folder's tokenizer.json give what
// transformers gives on the same texts.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/api';
import { readNpz } from '../../engine/io/npz';
import { nodeEngineHost } from '../../engine/nodeHost';
import {
  decoderFolder,
  decoderInputArrays,
  decoderLensReference,
} from '../../engine/decoder/fixtures/decoderCases';
import type { CommandContext } from '../context';
import { CLI_ZIP_LIMITS } from '../limits';
import { readDecoderRun } from './decoderRun';
import { hiddenStatesCommand } from './hiddenStates';
import { lensCommand } from './lens';

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
const texts = readFileSync(`${model}/texts.txt`, 'utf8').trim().split('\n');
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('--text for decoder commands', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-text-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads texts into the ids and mask transformers made of them (BOS, left padding)', async () => {
    const run = await readDecoderRun('lens', { text: `${model}/texts.txt` }, model, 8);
    const want = decoderInputArrays('llama-text');
    for (const name of ['input_ids', 'attention_mask']) {
      const got = run.arrays.find((a) => a.name === name)!;
      const ref = want.find((a) => a.name === name)!;
      expect(got.shape, name).toEqual(ref.shape);
      expect(Array.from(got.data as Int32Array), name).toEqual(Array.from(ref.data, Number));
    }
  });

  it('lens --text gives the logit lens transformers gives on those texts', async () => {
    const out = join(dir, 'txt');
    await lensCommand(['--model', model, '--text', `${model}/texts.txt`, '--out', out], ctx);
    const lens = readJson(join(out, 'lens.json'));
    const want = decoderLensReference('llama-text');
    expect([lens.layers, lens.tokens]).toEqual([want.layers, want.tokens]);
    for (const key of ['accuracy', 'loss', 'kl', 'rank'] as const)
      want[key].forEach((v, l) =>
        expect(relative(lens[key][l], v), `${key}[${l}]`).toBeLessThan(1e-4),
      );
  });

  it('reads .jsonl "text" fields and a .csv text column as the .txt lines', async () => {
    const jsonl = join(dir, 'texts.jsonl');
    writeFileSync(jsonl, texts.map((text, i) => JSON.stringify({ id: i, text })).join('\n'));
    const csv = join(dir, 'texts.csv');
    const quoted = (s: string) => `"${s.replaceAll('"', '""')}"`;
    writeFileSync(csv, ['id,text', ...texts.map((t, i) => `${i},${quoted(t)}`)].join('\r\n'));
    const want = await readDecoderRun('lens', { text: `${model}/texts.txt` }, model, 8);
    for (const file of [jsonl, csv]) {
      const run = await readDecoderRun('lens', { text: file }, model, 8);
      expect(run.arrays, file).toEqual(want.arrays);
    }
  });

  it('--samples takes the first texts, --max-length cuts them and says how many', async () => {
    const out = join(dir, 'cut.npz');
    logs.length = 0;
    const argv = ['--model', model, '--text', `${model}/texts.txt`, '--samples', '3'];
    await hiddenStatesCommand([...argv, '--max-length', '4', '--out', out], ctx);
    const written = readNpz(new Uint8Array(readFileSync(out)), out, CLI_ZIP_LIMITS);
    expect(written[0].shape).toEqual([3, 4, 32]);
    expect(written.find((a) => a.name === 'logits')!.shape).toEqual([3, 4, 376]);
    expect(logs).toContain('note: 3 text(s) cut at --max-length 4');
  });

  it('names tokenizer.json when the model folder has none', async () => {
    const llama = decoderFolder('llama-a');
    const argv = ['--model', llama, '--text', `${model}/texts.txt`, '--out', join(dir, 'x')];
    await expect(lensCommand(argv, ctx)).rejects.toThrow(
      `strata lens: --text ${model}/texts.txt: the model folder ${llama} has no tokenizer.json`,
    );
  });

  it('refuses --input with --text, and --max-length without --text', async () => {
    const both = [
      '--model',
      model,
      '--input',
      `${model}/input.npz`,
      '--text',
      `${model}/texts.txt`,
    ];
    await expect(lensCommand([...both, '--out', join(dir, 'y')], ctx)).rejects.toThrow(
      'strata lens: give --input or --text, not both',
    );
    const cut = ['--model', model, '--input', `${model}/input.npz`, '--max-length', '4'];
    await expect(lensCommand([...cut, '--out', join(dir, 'z')], ctx)).rejects.toThrow(
      '--max-length goes with --text',
    );
  });

  it("refuses texts longer than GPT-2's positions, and reads them cut at --max-length", async () => {
    const folder = join(dir, 'gpt2-words');
    mkdirSync(folder);
    for (const f of ['config.json', 'model.safetensors'])
      copyFileSync(join(decoderFolder('gpt2-a'), f), join(folder, f));
    const words = join(decoderFolder('tokenizers'), 'wordlevel', 'tokenizer.json');
    copyFileSync(words, join(folder, 'tokenizer.json'));
    const long = join(dir, 'long.txt');
    writeFileSync(long, `${'the dog sat on the mat '.repeat(4)}\nthe cat\n`);
    const argv = ['--model', folder, '--text', long, '--out', join(dir, 'long')];
    await expect(lensCommand(argv, ctx)).rejects.toThrow(
      `${long}: the longest text is 24 tokens, over n_positions = 16 of ${folder}/config.json`,
    );
    await lensCommand([...argv, '--max-length', '16'], ctx);
    const lens = readJson(join(dir, 'long', 'lens.json'));
    expect(lens.tokens).toBe(15 + 1);
  });

  it('names the line of a .jsonl record without text', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"text": "fine"}\n{"body": "no text"}\n');
    await expect(readDecoderRun('lens', { text: bad }, model, 8)).rejects.toThrow(
      `line 2 of ${bad}: "text" is missing or not a string`,
    );
  });
});
