// A decoder folder dropped in the page's engine (the worker): its tokenizer.json read by
// @huggingface/tokenizers in the browser, and the logit lens of texts equal to transformers'.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { watchErrors } from './pageErrors';

const FOLDER = 'src/engine/decoder/fixtures/llama-text';
const FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];

test('the worker imports a decoder folder and gives the lens of texts as transformers does', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/?backend=wasm');
  await expect(page.getByRole('status', { name: 'Engine backend' })).toHaveAttribute(
    'data-backend',
    'wasm',
  );
  const files = Object.fromEntries(
    FILES.map((f) => [f, readFileSync(`${FOLDER}/${f}`).toString('base64')]),
  );
  const texts = readFileSync(`${FOLDER}/texts.txt`, 'utf8').trim().split('\n');
  const got = await page.evaluate(
    async ({ files, texts }) => {
      const blob = (name: string) => ({
        path: `llama-text/${name}`,
        file: new Blob([Uint8Array.from(atob(files[name]), (c) => c.charCodeAt(0))]),
      });
      const engine = window.strata!.engine;
      const folder = {
        config: blob('config.json'),
        weights: blob('model.safetensors'),
        tokenizer: blob('tokenizer.json'),
        tokenizerConfig: blob('tokenizer_config.json'),
      };
      const summary = await engine.importModel({ ...folder, name: 'llama-text' });
      await engine.discardImportedModel(summary.token);
      const { lens } = await engine.lens({
        files: folder,
        source: 'llama-text',
        text: { texts, source: 'texts.txt' },
      });
      // (Leaks are counted by the unit tests: the page's own first analysis runs meanwhile.)
      return { decoder: summary.decoder, lens };
    },
    { files, texts },
  );
  expect(got.decoder?.tokenizer?.kind).toBe('BPE (byte fallback)');
  const want = JSON.parse(readFileSync(`${FOLDER}/lens.json`, 'utf8'));
  expect(got.lens.tokens).toBe(want.tokens);
  for (const key of ['accuracy', 'loss', 'kl', 'rank'] as const)
    want[key].forEach((v: number, l: number) =>
      expect(
        Math.abs(got.lens[key][l] - v) / Math.max(1, Math.abs(v)),
        `${key}[${l}]`,
      ).toBeLessThan(1e-4),
    );
  expect(errors).toEqual([]);
});
