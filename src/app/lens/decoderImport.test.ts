import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DroppedFile } from '../import/types';
import { resetStrata, useStrata } from '../store';
import { importDecoderFiles, isDecoderDrop, reviewDecoder } from './decoderImport';
import { initialLensState, useLens } from './lensState';

const DECODERS = 'src/engine/decoder/fixtures';
const WORDLEVEL = `${DECODERS}/tokenizers/wordlevel`;

const dropped = (path: string, from: string): DroppedFile => ({
  path,
  file: new File([readFileSync(from)], path.slice(path.lastIndexOf('/') + 1)),
});

/** gpt2-a's config and weights, with the word-level tokenizer (or `tokenizer` as its text). */
function gpt2Folder(name: string, tokenizer?: string | null): DroppedFile[] {
  const files = [
    dropped(`${name}/config.json`, `${DECODERS}/gpt2-a/config.json`),
    dropped(`${name}/model.safetensors`, `${DECODERS}/gpt2-a/model.safetensors`),
    dropped(`${name}/tokenizer_config.json`, `${WORDLEVEL}/tokenizer_config.json`),
  ];
  if (tokenizer === null) return files;
  files.push(
    tokenizer === undefined
      ? dropped(`${name}/tokenizer.json`, `${WORDLEVEL}/tokenizer.json`)
      : { path: `${name}/tokenizer.json`, file: new File([tokenizer], 'tokenizer.json') },
  );
  return files;
}

const alerts = () => useStrata.getState().ui.alerts.map((a) => `${a.kind}: ${a.text}`);

describe('a dropped decoder folder', () => {
  beforeEach(() => {
    resetStrata();
    useLens.setState(initialLensState());
  });

  it('is told from a classifier checkpoint by its config.json', async () => {
    expect(await isDecoderDrop(gpt2Folder('g'))).toBe(true);
    const vit = [
      dropped('vit/config.json', 'src/engine/import/fixtures/vit-a/config.json'),
      dropped('vit/model.safetensors', 'src/engine/import/fixtures/vit-a/model.safetensors'),
    ];
    expect(await isDecoderDrop(vit)).toBe(false);
  });

  it('is reviewed from its config.json and tokenizer.json', async () => {
    const model = await reviewDecoder(gpt2Folder('g'));
    expect(model.name).toBe('g');
    expect(model.maxPositions).toBe(16);
    expect(model.summary).toEqual({
      architecture: 'GPT2LMHeadModel',
      numLayers: 2,
      hiddenSize: 32,
      vocabSize: 96,
      numHeads: 4,
      numKvHeads: 4,
      tiedHead: true,
      tokenizer: { file: 'g/tokenizer.json', kind: 'WordLevel', vocabSize: 67 },
    });
    expect(model.files.tokenizer?.path).toBe('g/tokenizer.json');
    expect(model.files.tokenizerConfig?.path).toBe('g/tokenizer_config.json');
  });

  it('reads grouped-query heads and a byte-fallback tokenizer (Llama)', async () => {
    const dir = `${DECODERS}/llama-text`;
    const names = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];
    const model = await reviewDecoder(names.map((n) => dropped(`llama-text/${n}`, `${dir}/${n}`)));
    expect(model.summary).toMatchObject({
      architecture: 'LlamaForCausalLM',
      numHeads: 4,
      numKvHeads: 2,
      vocabSize: 376,
      tokenizer: { kind: 'BPE (byte fallback)' },
    });
  });

  it('without tokenizer.json: imported, and a notice says it needs one', async () => {
    await importDecoderFiles(gpt2Folder('bare', null));
    expect(useLens.getState().model?.summary.tokenizer).toBeUndefined();
    expect(useLens.getState().maxLength).toBe(16);
    expect(alerts()).toEqual([
      expect.stringMatching(/^notice: bare has no tokenizer\.json: .*tokenizer\.json/),
    ]);
  });

  it("max tokens follows the model's positions: cut to GPT-2's 16, back to 64 for a Llama", async () => {
    await importDecoderFiles(gpt2Folder('small'));
    expect(useLens.getState().maxLength).toBe(16);
    const dir = `${DECODERS}/llama-text`;
    const names = ['config.json', 'model.safetensors', 'tokenizer.json'];
    await importDecoderFiles(names.map((n) => dropped(`llama-text/${n}`, `${dir}/${n}`)));
    expect(useLens.getState().maxLength).toBe(64);
    useLens.setState({ maxLength: 20 });
    await importDecoderFiles(gpt2Folder('small'));
    expect(useLens.getState().maxLength).toBe(16);
  });

  it('a broken tokenizer.json is named and the model before stays', async () => {
    await importDecoderFiles(gpt2Folder('good'));
    const before = useLens.getState().model;
    await importDecoderFiles(gpt2Folder('bad', '{"model": '));
    expect(useLens.getState().model).toBe(before);
    expect(alerts()).toEqual([
      expect.stringMatching(
        /^error: Language model not imported: bad\/tokenizer\.json: not valid JSON/,
      ),
    ]);
  });
});
