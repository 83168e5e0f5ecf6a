// The built-in text checkpoints (imdb-*) in the page: offered for the IMDB dataset, the reviews
// shown as text, and the similarity the page draws equal to what `strata analyze` computes for the
// same model, samples and seed in Node.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chartData, type HeatmapData } from './exportFiles';
import { figure, heatmapFills } from './explorerPage';
import { watchErrors } from './pageErrors';

const N = 200;
const SEED = 3;

test('imdb-aligned in the page: texts, layers, and the CLI’s cosine and CKA', async ({ page }) => {
  test.setTimeout(300_000);
  const out = mkdtempSync(join(tmpdir(), 'strata-text-'));
  // prettier-ignore
  execFileSync(process.execPath, ['bin/strata.mjs', 'analyze', '--model', 'imdb-aligned',
    '--dataset', 'imdb', '--samples', String(N), '--seed', String(SEED), '--metrics',
    'cosine,cka', '--out', out], { stdio: 'pipe' });
  const cli = JSON.parse(readFileSync(join(out, 'similarity.json'), 'utf8')) as {
    metrics: { cosine: (number | null)[][]; cka: (number | null)[][] };
  };

  const errors = watchErrors(page);
  await page.goto(`/?backend=wasm#v=1&dataset=imdb&model=imdb-aligned&samples=${N}&seed=${SEED}`);
  const model = page.getByLabel('Model', { exact: true });
  await expect(model).toHaveValue('imdb-aligned');
  expect(await model.locator('option').allInnerTexts()).toEqual([
    'imdb-standard',
    'imdb-aligned',
    'imdb-multihead',
  ]);
  // The preview decodes the first test reviews with the dataset's tokenizer.
  const preview = page.getByRole('region', { name: 'Model & data' });
  await expect(preview.locator('li').first()).toContainText(/^(negative|positive): \S+/);

  const caption = new RegExp(`^Cosine similarity · imdb-aligned · imdb test, N = ${N}\\b`);
  await expect
    .poll(async () => (await heatmapFills(figure(page, caption))).length, { timeout: 200_000 })
    .toBe(25); // embeddings + 4 blocks, squared
  const cosine = await chartData<HeatmapData>(page, caption);
  expect(cosine.rowLabels).toEqual(['embeddings', 'layer_1', 'layer_2', 'layer_3', 'layer_4']);
  const cka = await chartData<HeatmapData>(page, /^Linear CKA · imdb-aligned/);
  for (const [page_, node] of [
    [cosine.values, cli.metrics.cosine],
    [cka.values, cli.metrics.cka],
  ] as const) {
    page_.forEach((row, l) =>
      row.forEach((v, m) => {
        const w = node[l][m];
        if (v === null || w === null) expect([v, w]).toEqual([null, null]);
        else expect(Math.abs(v - w)).toBeLessThan(1e-4);
      }),
    );
  }
  expect(errors).toEqual([]);
});
