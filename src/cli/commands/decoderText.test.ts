// `--text` for the decoder commands: texts through the model folder's tokenizer.json give what
// transformers gives on the same texts.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpz } from '../../engine/io/npz';
import {
  decoderFolder,
  decoderInputArrays,
  decoderLensReference,
} from '../../engine/decoder/fixtures/decoderCases';
import { CLI_ZIP_LIMITS } from '../limits';
import { readDecoderRun } from './decoderRun';
import { hiddenStatesCommand } from './hiddenStates';
import { lensCommand } from './lens';
import { commandContext, copyFixture, readJson, relative, tempFolder } from '../testing';

const tmp = tempFolder('text');
const { ctx, logs } = commandContext();

const model = decoderFolder('llama-text');
const texts = readFileSync(`${model}/texts.txt`, 'utf8').trim().split('\n');

describe('--text for decoder commands', () => {
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
    const out = tmp('txt');
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
    const jsonl = tmp('texts.jsonl');
    writeFileSync(jsonl, texts.map((text, i) => JSON.stringify({ id: i, text })).join('\n'));
    const csv = tmp('texts.csv');
    const quoted = (s: string) => `"${s.replaceAll('"', '""')}"`;
    writeFileSync(csv, ['id,text', ...texts.map((t, i) => `${i},${quoted(t)}`)].join('\r\n'));
    const want = await readDecoderRun('lens', { text: `${model}/texts.txt` }, model, 8);
    for (const file of [jsonl, csv]) {
      const run = await readDecoderRun('lens', { text: file }, model, 8);
      expect(run.arrays, file).toEqual(want.arrays);
    }
  });

  it('--samples takes the first texts, --max-length cuts them and says how many', async () => {
    const out = tmp('cut.npz');
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
    const argv = ['--model', llama, '--text', `${model}/texts.txt`, '--out', tmp('x')];
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
    await expect(lensCommand([...both, '--out', tmp('y')], ctx)).rejects.toThrow(
      'strata lens: give --input or --text, not both',
    );
    const cut = ['--model', model, '--input', `${model}/input.npz`, '--max-length', '4'];
    await expect(lensCommand([...cut, '--out', tmp('z')], ctx)).rejects.toThrow(
      '--max-length goes with --text',
    );
  });

  it("refuses texts longer than GPT-2's positions, and reads them cut at --max-length", async () => {
    const folder = copyFixture(decoderFolder('gpt2-a'), tmp('gpt2-words'), [
      'config.json',
      'model.safetensors',
    ]);
    const words = join(decoderFolder('tokenizers'), 'wordlevel', 'tokenizer.json');
    copyFileSync(words, join(folder, 'tokenizer.json'));
    const long = tmp('long.txt');
    writeFileSync(long, `${'the dog sat on the mat '.repeat(4)}\nthe cat\n`);
    const argv = ['--model', folder, '--text', long, '--out', tmp('long')];
    await expect(lensCommand(argv, ctx)).rejects.toThrow(
      `${long}: the longest text is 24 tokens, over n_positions = 16 of ${folder}/config.json`,
    );
    await lensCommand([...argv, '--max-length', '16'], ctx);
    const lens = readJson(tmp('long', 'lens.json'));
    expect(lens.tokens).toBe(15 + 1);
  });

  it('names the line of a .jsonl record without text', async () => {
    const bad = tmp('bad.jsonl');
    writeFileSync(bad, '{"text": "fine"}\n{"body": "no text"}\n');
    await expect(readDecoderRun('lens', { text: bad }, model, 8)).rejects.toThrow(
      `line 2 of ${bad}: "text" is missing or not a string`,
    );
  });
});
