import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { DecoderSimilarityResponse, LensResult } from '../src/engine/apiTypes';
import { sampleIndices } from '../src/engine/data/order';
import { ARTIFACTS, figure, openExplorer, screenshot, setNumber } from './explorerPage';
import { watchErrors } from './pageErrors';

// The built-in language models, opened from the page's own files with no drop: the lens of the
// aligned LM on its held-out IMDB reviews equals the engine API's for the same ids and the
// figures lens.json was written with; the standard LM drawn beside it; a .txt read by its tokenizer.

const MODELS = 'public/models';
const LM_VOCAB = 1024;
const REVIEWS = [
  'this movie was one of the best films i have seen, the acting was great and the story was good.',
  'a terrible film. the plot made no sense and the actors were bad. do not waste your time.',
  'i liked the music but the ending was too long and the characters were boring.',
];

interface LensJson extends LensResult {
  rows: number;
  rowSeed: string;
}
const lensJson = (id: string) =>
  JSON.parse(readFileSync(`${MODELS}/${id}/lens.json`, 'utf8')) as LensJson;

/** lens.json's held-out reviews as LM ids, built here from the dataset files on disk. */
function heldOut(rows: number, seed: string): { ids: number[]; mask: number[]; t: number } {
  const manifest = JSON.parse(readFileSync('public/datasets/manifest.json', 'utf8')) as {
    datasets: { name: string; inputShape: number[]; splits: { test: { n: number } } }[];
  };
  const imdb = manifest.datasets.find((d) => d.name === 'imdb')!;
  const t = imdb.inputShape[0];
  const raw = gunzipSync(readFileSync('public/datasets/imdb/test-x.u16.gz'));
  const x = new Uint16Array(raw.buffer, raw.byteOffset, raw.length / 2);
  const ids: number[] = [];
  const mask: number[] = [];
  for (const row of sampleIndices(imdb.splits.test.n, rows, seed))
    for (let j = 0; j < t; j++) {
      const id = x[row * t + j];
      ids.push(id >= LM_VOCAB ? 1 : id);
      mask.push(id === 0 ? 0 : 1);
    }
  return { ids, mask, t };
}

type ChartRecord = { caption: string; data: { series: { name: string; values: number[] }[] } };
const lensCharts = (page: Page) =>
  page.evaluate(
    () =>
      (window.strataCharts?.() ?? []).filter((c) =>
        c.caption.startsWith('Logit lens:'),
      ) as unknown as ChartRecord[],
  );

/** The engine API's lens of a built-in LM on ids or texts, called in the page. */
function engineLens(
  page: Page,
  id: string,
  input: { ids: number[]; mask: number[]; t: number } | { texts: string[] },
): Promise<LensResult> {
  return page.evaluate(
    async ({ id, input }) => {
      const file = async (name: string) => ({
        path: `${id}/${name}`,
        file: await (await fetch(`/models/${id}/${name}`)).blob(),
      });
      const files = {
        config: await file('config.json'),
        weights: await file('model.safetensors'),
        tokenizer: await file('tokenizer.json'),
        tokenizerConfig: await file('tokenizer_config.json'),
      };
      const request =
        'texts' in input
          ? { text: { texts: input.texts, source: 'reviews.txt', maxLength: 64 }, samples: 32 }
          : {
              input: ['input_ids', 'attention_mask'].map((name, k) => ({
                name,
                dtype: 'int32' as const,
                shape: [input.ids.length / input.t, input.t],
                data: Int32Array.from(k === 0 ? input.ids : input.mask),
              })),
              samples: input.ids.length / input.t,
            };
      return (await window.strata!.engine.lens({ files, source: id, ...request })).lens;
    },
    { id, input },
  );
}

/** The engine API's layer similarity of aligned versus standard on ids, as the page asks for it. */
function engineAcross(
  page: Page,
  input: { ids: number[]; mask: number[]; t: number },
): Promise<DecoderSimilarityResponse> {
  return page.evaluate(async (input) => {
    const folder = async (id: string) => {
      const file = async (name: string) => ({
        path: `${id}/${name}`,
        file: await (await fetch(`/models/${id}/${name}`)).blob(),
      });
      return { config: await file('config.json'), weights: await file('model.safetensors') };
    };
    return window.strata!.engine.decoderSimilarity({
      files: await folder('imdb-lm-aligned'),
      source: 'imdb-lm-aligned',
      input: ['input_ids', 'attention_mask'].map((name, k) => ({
        name,
        dtype: 'int32' as const,
        shape: [input.ids.length / input.t, input.t],
        data: Int32Array.from(k === 0 ? input.ids : input.mask),
      })),
      samples: input.ids.length / input.t,
      pooling: 'last',
      seed: 0,
      metrics: ['cosine', 'cka'],
      analysisBatchSize: 256,
      rbfT: 0.5,
      versus: { files: await folder('imdb-lm-standard'), source: 'imdb-lm-standard' },
    });
  }, input);
}

function expectClose(got: number[], want: number[], tolerance: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(tolerance));
}

test('the built-in aligned LM opens without a drop; its lens equals the engine’s and lens.json', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  const aligned = lensJson('imdb-lm-aligned');
  await page.setViewportSize({ width: 1440, height: 900 });
  await openExplorer(page);

  await page
    .getByLabel('Language model', { exact: true })
    .selectOption({ label: 'imdb LM · aligned' });
  const review = page.locator('section', {
    has: page.getByRole('heading', { name: 'Language model: imdb-lm-aligned' }),
  });
  await expect(review).toContainText('GPT2LMHeadModel', { timeout: 60_000 });
  await expect(review).toContainText('Vocabulary1,024');
  await expect(review).toContainText('WordLevel (imdb-lm-aligned/tokenizer.json, 1,024 ids)');
  const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Logit lens' }) });
  const source = `imdb test reviews (the ${aligned.rows} held out in lens.json)`;
  await expect(panel).toContainText(`None opened: the ${source}`);

  await setNumber(page, 'Texts (samples)', aligned.rows);
  await panel.getByRole('button', { name: 'Run the logit lens' }).click();
  const caption = `Logit lens: next-token accuracy · imdb-lm-aligned · ${source} · ${aligned.tokens.toLocaleString('en-US')} tokens`;
  await expect(figure(page, new RegExp(`^${caption.replace(/[()]/g, '\\$&')}$`))).toBeVisible({
    timeout: 300_000,
  });
  // lens.json was written by the training script in Node; the page computes it anew.
  let charts = await lensCharts(page);
  expect(charts.map((c) => c.caption)[0]).toBe(caption);
  expectClose(charts[0].data.series[0].values, aligned.accuracy, 1e-4);
  expectClose(charts[1].data.series[0].values, aligned.loss, 1e-4);
  await screenshot(page, 'builtin-lm-aligned-1440x900', panel);

  // The standard LM beside it on the first 64 of those reviews (the whole 500 again would only
  // repeat the check above at twice its cost): a series each, named by model, each equal to the
  // engine API's lens of that model on the same ids.
  await page.getByLabel('Compare with').selectOption({ label: 'imdb LM · standard' });
  await setNumber(page, 'Texts (samples)', 64);
  await panel.getByRole('button', { name: 'Run the logit lens' }).click();
  const both = /^Logit lens: next-token accuracy · imdb-lm-aligned vs imdb-lm-standard · imdb test/;
  await expect(figure(page, both)).toBeVisible({ timeout: 300_000 });
  const first64 = heldOut(64, aligned.rowSeed);
  const wantAligned = await engineLens(page, 'imdb-lm-aligned', first64);
  const wantStandard = await engineLens(page, 'imdb-lm-standard', first64);
  charts = await lensCharts(page);
  expect(charts[0].data.series.map((s) => s.name)).toEqual(['imdb-lm-aligned', 'imdb-lm-standard']);
  expect(charts[0].caption).toMatch(
    new RegExp(` · ${wantAligned.tokens.toLocaleString('en-US')} tokens$`),
  );
  expectClose(charts[0].data.series[0].values, wantAligned.accuracy, 1e-6);
  expectClose(charts[0].data.series[1].values, wantStandard.accuracy, 1e-6);
  expectClose(charts[1].data.series[1].values, wantStandard.loss, 1e-6);
  await screenshot(page, 'builtin-lm-compare-1440x900', panel);

  // Layer similarity of the two on the same 64 reviews: A's and B's heatmaps side by side, and
  // A × B across equal to the engine API's versus request.
  const sim = page.locator('section', {
    has: page.getByRole('heading', { name: 'Layer similarity', exact: true }),
  });
  await sim.getByRole('button', { name: 'Run the layer similarity' }).click();
  const across = figure(
    page,
    /^LM similarity: Linear CKA across A imdb-lm-aligned × B imdb-lm-standard · imdb test reviews \(the first 64 of the 500 held out in lens\.json\) · last-token pooling, N = 64 texts$/,
  );
  await expect(across).toBeVisible({ timeout: 120_000 });
  const want = await engineAcross(page, first64);
  const acrossCka = await page.evaluate(
    () =>
      (window.strataCharts?.() ?? []).find((c) =>
        c.caption.startsWith('LM similarity: Linear CKA across'),
      )!.data as { values: number[][] },
  );
  want.report.metrics.cka!.forEach((row, r) =>
    row.forEach((v, c) => expect(Math.abs(acrossCka.values[r][c] - v!)).toBeLessThanOrEqual(1e-6)),
  );
  await screenshot(page, 'screens/lm-similarity-compare-1440x900', sim);
  await page.getByLabel('Compare with').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/builtin-lm-picker-1440x900.png` });

  // A .txt of reviews, read by the LM's own tokenizer.
  await page.getByLabel('Compare with').selectOption({ label: 'none' });
  await setNumber(page, 'Texts (samples)', 32);
  await panel.getByLabel('Texts for the lens').setInputFiles({
    name: 'reviews.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(REVIEWS.join('\n') + '\n'),
  });
  await expect(panel).toContainText(`reviews.txt: ${REVIEWS.length} texts`);
  await panel.getByRole('button', { name: 'Run the logit lens' }).click();
  await expect(
    figure(page, /^Logit lens: next-token accuracy · imdb-lm-aligned · reviews\.txt/),
  ).toBeVisible({
    timeout: 120_000,
  });
  const fromText = await engineLens(page, 'imdb-lm-aligned', { texts: REVIEWS });
  charts = await lensCharts(page);
  expect(charts[0].caption).toMatch(new RegExp(` · ${fromText.tokens} tokens$`));
  expectClose(charts[0].data.series[0].values, fromText.accuracy, 1e-6);
  expectClose(charts[1].data.series[0].values, fromText.loss, 1e-6);
  expect(errors).toEqual([]);
});
