import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecoderSimilarityResponse, LensResult } from '../src/engine/apiTypes';
import { figure, openExplorer, screenshot } from './explorerPage';
import { chartHost, exportAs } from './exportFiles';
import { watchErrors } from './pageErrors';

// A language model in the page: a GPT-2 folder (the engine's fixture weights with a word-level
// tokenizer.json of fewer ids than its vocabulary) and a text file, opened with the drop zone's
// pickers; the Logit lens panel draws what the engine API returns for the same request.

const GPT2 = 'src/engine/decoder/fixtures/gpt2-a';
const TOKENIZER = 'src/engine/decoder/fixtures/tokenizers/wordlevel';
const TEXTS = [
  'the quick brown fox jumps over the lazy dog.',
  'the cat sat on the mat, and the dog sat with the cat.',
  'a language model reads text, one layer like the next.',
  'early exit lets a network leave at the first confident layer.',
  'strata reads the representation of each layer in the browser.',
  'the decoder grows more similar to its next layer with depth.',
];

/** Writes a decoder folder named `name`; `tokenizer` replaces tokenizer.json's text. */
function decoderFolder(root: string, name: string, tokenizer?: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(GPT2, f), join(dir, f));
  copyFileSync(join(TOKENIZER, 'tokenizer_config.json'), join(dir, 'tokenizer_config.json'));
  if (tokenizer === undefined)
    copyFileSync(join(TOKENIZER, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  else writeFileSync(join(dir, 'tokenizer.json'), tokenizer);
  return dir;
}

type ChartRecord = { kind: string; caption: string; data: { series: { values: number[] }[] } };
const lensCharts = (page: Page) =>
  page.evaluate(
    () =>
      (window.strataCharts?.() ?? []).filter((c) =>
        c.caption.startsWith('Logit lens:'),
      ) as unknown as ChartRecord[],
  );

/** The engine API's lens of the same folder and texts, called in the page. */
function engineLens(page: Page, folder: string): Promise<LensResult> {
  const bytes = (f: string) => [...readFileSync(join(folder, f))];
  const files = Object.fromEntries(
    ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'].map((f) => [
      f,
      bytes(f),
    ]),
  );
  return page.evaluate(
    async ({ files, texts }) => {
      const file = (name: string) => ({
        path: `gpt2-lens/${name}`,
        file: new Blob([new Uint8Array(files[name])]),
      });
      const response = await window.strata!.engine.lens({
        files: {
          config: file('config.json'),
          weights: file('model.safetensors'),
          tokenizer: file('tokenizer.json'),
          tokenizerConfig: file('tokenizer_config.json'),
        },
        source: 'gpt2-lens',
        text: { texts, source: 'texts.txt', maxLength: 16 },
        samples: 32,
      });
      return response.lens;
    },
    { files, texts: TEXTS },
  );
}

/** The engine API's layer similarity of the same folder and texts, as the section asks for it. */
function engineSimilarity(
  page: Page,
  folder: string,
  pooling: 'last' | 'tokens',
): Promise<DecoderSimilarityResponse> {
  const bytes = (f: string) => [...readFileSync(join(folder, f))];
  const files = Object.fromEntries(
    ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'].map((f) => [
      f,
      bytes(f),
    ]),
  );
  return page.evaluate(
    async ({ files, texts, pooling }) => {
      const file = (name: string) => ({
        path: `gpt2-lens/${name}`,
        file: new Blob([new Uint8Array(files[name])]),
      });
      return window.strata!.engine.decoderSimilarity({
        files: {
          config: file('config.json'),
          weights: file('model.safetensors'),
          tokenizer: file('tokenizer.json'),
          tokenizerConfig: file('tokenizer_config.json'),
        },
        source: 'gpt2-lens',
        text: { texts, source: 'texts.txt', maxLength: 16 },
        samples: 32,
        pooling,
        seed: 0,
        metrics: ['cosine', 'cka'],
        analysisBatchSize: 256,
        rbfT: 0.5,
      });
    },
    { files, texts: TEXTS, pooling },
  );
}

type HeatmapRecord = {
  caption: string;
  data: { rowLabels: string[]; values: (number | null)[][] };
};
const similarityCharts = (page: Page) =>
  page.evaluate(
    () =>
      (window.strataCharts?.() ?? []).filter((c) =>
        c.caption.startsWith('LM similarity:'),
      ) as unknown as HeatmapRecord[],
  );

/** The section's cosine and CKA heatmaps hold the engine's matrices, cell for cell (1e-6). */
async function expectSimilarity(page: Page, want: DecoderSimilarityResponse): Promise<void> {
  const charts = await similarityCharts(page);
  expect(charts).toHaveLength(2);
  (['cosine', 'cka'] as const).forEach((metric, i) => {
    const matrix = want.report.metrics[metric]!;
    expect(charts[i].data.rowLabels).toEqual(want.report.layers);
    expect(charts[i].data.values.length).toBe(matrix.length);
    charts[i].data.values.forEach((row, r) =>
      row.forEach((v, c) => expect(Math.abs(v! - matrix[r][c]!)).toBeLessThanOrEqual(1e-6)),
    );
  });
}

function expectClose(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-6));
}

test('a GPT-2 folder and a text file: the logit lens chart shows the engine API’s values', async ({
  page,
}) => {
  // The explorer's own first analysis, the lens and the layer similarity: over 3 min on a busy machine.
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  const root = join(tmpdir(), `strata-lens-${process.pid}`);
  const good = decoderFolder(root, 'gpt2-lens');
  const broken = decoderFolder(root, 'gpt2-broken', '{"model": {"type": "WordLevel", "vocab": ');
  await page.setViewportSize({ width: 1440, height: 900 });
  await openExplorer(page);

  await page.getByLabel('Open a folder').setInputFiles(good);
  const review = page.locator('section', {
    has: page.getByRole('heading', { name: 'Language model: gpt2-lens' }),
  });
  await expect(review).toContainText('GPT2LMHeadModel');
  await expect(review).toContainText('Heads / kv heads4 / 4');
  await expect(review).toContainText('Vocabulary96');
  await expect(review).toContainText('tied to the token embeddings');
  await expect(review).toContainText('WordLevel (gpt2-lens/tokenizer.json, 67 ids)');

  await screenshot(page, 'language-model-review-1440x900', review);
  const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Logit lens' }) });
  await panel.getByLabel('Texts for the lens').setInputFiles({
    name: 'texts.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(TEXTS.join('\n') + '\n'),
  });
  await expect(panel).toContainText(`texts.txt: ${TEXTS.length} texts`);
  await expect(panel.getByLabel('Max tokens per text')).toHaveValue('16');
  await panel.getByRole('button', { name: 'Run the logit lens' }).click();
  const accuracy = figure(page, /^Logit lens: next-token accuracy · gpt2-lens · texts\.txt · /);
  await expect(accuracy).toBeVisible();

  const want = await engineLens(page, good);
  const charts = await lensCharts(page);
  expect(charts.map((c) => c.caption)).toEqual([
    `Logit lens: next-token accuracy · gpt2-lens · texts.txt · ${want.tokens} tokens`,
    `Logit lens: next-token loss (nats) · gpt2-lens · texts.txt · ${want.tokens} tokens`,
  ]);
  expectClose(charts[0].data.series[0].values, want.accuracy);
  expectClose(charts[1].data.series[0].values, want.loss);
  for (const [label, key] of [
    ['KL to the final layer', 'kl'],
    ['Rank of the final top-1 token', 'rank'],
  ] as const) {
    await panel.getByLabel('Second chart').selectOption({ label });
    await expect.poll(async () => (await lensCharts(page))[1]?.caption ?? '').toMatch(/gpt2-lens/);
    await expect
      .poll(async () => (await lensCharts(page))[1].data.series[0].values.length)
      .toBe(want.layers.length);
    expectClose((await lensCharts(page))[1].data.series[0].values, want[key]);
  }
  await panel.getByLabel('Second chart').selectOption({ label: 'Cross-entropy loss' });
  // Its exports name the language model and the run's settings, not the explorer's model.
  const json = await exportAs(page, chartHost(page, /^Logit lens: next-token accuracy/), 'JSON');
  expect(json.name).toMatch(/gpt2-lens/);
  expect(JSON.parse(json.body.toString('utf8')).caption.settings).toEqual({
    languageModel: 'gpt2-lens',
    texts: 'texts.txt',
    maxLength: 16,
    samples: 32,
  });
  await page.keyboard.press('Escape');

  await screenshot(page, 'logit-lens-1440x900', panel);

  // Layer similarity on the lens's texts: the heatmaps hold what the engine API returns for the
  // same request; switching pooling dims them as out of date, then draws the new matrices.
  const sim = page.locator('section', {
    has: page.getByRole('heading', { name: 'Layer similarity', exact: true }),
  });
  await sim.getByRole('button', { name: 'Run the layer similarity' }).click();
  const lastCaption = 'gpt2-lens · texts.txt · last-token pooling, N = 6 texts';
  await expect(
    figure(page, new RegExp(`^LM similarity: Linear CKA · ${lastCaption}$`)),
  ).toBeVisible();
  await expectSimilarity(page, await engineSimilarity(page, good, 'last'));
  // The stale picture lasts as long as the run: every caption and mark it shows is recorded.
  await sim.evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { seenStale: string[] }).seenStale = seen;
    new MutationObserver(() =>
      el.querySelectorAll('[data-stale="true"] figcaption').forEach((c) => {
        const text = c.textContent ?? '';
        if (!seen.includes(text)) seen.push(text);
      }),
    ).observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await sim.getByLabel('Hidden-state pooling').selectOption('tokens');
  const tokens = await engineSimilarity(page, good, 'tokens');
  const rows = tokens.facts.rows;
  await expect(
    figure(
      page,
      new RegExp(
        `^LM similarity: Linear CKA · gpt2-lens · texts\\.txt · every real token a row: all ${rows} kept \\(cap 4,096, seed 0\\)$`,
      ),
    ),
  ).toBeVisible();
  await expect(sim.locator('[data-stale="true"]')).toHaveCount(0);
  await expectSimilarity(page, tokens);
  const seenStale = await page.evaluate(
    () => (window as unknown as { seenStale: string[] }).seenStale,
  );
  expect(seenStale).toContain(
    `LM similarity: Cosine similarity · ${lastCaption} — updating… for tokens pooling, seed 0 (out of date: computed for last pooling, no seed)`,
  );
  await screenshot(page, 'screens/lm-similarity-1440x900', sim);

  await page.setViewportSize({ width: 1024, height: 768 });
  await expect(accuracy).toBeVisible();
  await screenshot(page, 'logit-lens-1024x768', panel);
  await screenshot(page, 'screens/lm-similarity-1024x768', sim);

  // A broken tokenizer.json: named in the alert; the model and the charts stay.
  await page.getByLabel('Open a folder').setInputFiles(broken);
  await expect(
    page.getByRole('alert').filter({ hasText: 'gpt2-broken/tokenizer.json' }),
  ).toContainText('not valid JSON');
  await expect(page.getByRole('heading', { name: 'Language model: gpt2-lens' })).toBeVisible();
  const after = await lensCharts(page);
  expectClose(after[0].data.series[0].values, want.accuracy);
  expectClose(after[1].data.series[0].values, want.loss);

  // No file: the built-in public-domain sentences, cut at the model's 16 positions.
  await panel.getByRole('button', { name: 'Use the sample texts' }).click();
  await expect(panel).toContainText('None opened: the 36 built-in sample texts');
  await panel.getByRole('button', { name: 'Run the logit lens' }).click();
  await expect(
    figure(page, /^Logit lens: next-token accuracy · gpt2-lens · built-in sample texts .* tokens$/),
  ).toBeVisible();
  expect(errors).toEqual([]);
});
