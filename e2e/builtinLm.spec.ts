import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { DecoderSimilarityResponse, LensResult } from '../src/engine/apiTypes';
import { sampleIndices } from '../src/engine/data/order';
import { ARTIFACTS, figure, openExplorer, screenshot, setNumber } from './explorerPage';
import { watchErrors } from './pageErrors';

// The built-in language models, opened from the page's own files with no drop: the lens of the
// aligned LM on its held-out IMDB reviews equals the engine API's for the same ids and the
// figures lens.json was written with; the standard LM drawn beside it; their early-exit curves
// and a generation against the engine API's; a .txt read by its tokenizer.

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

/** The engine API's lmExits or generate on a built-in LM, called in the page. */
function engineLm<M extends 'lmExits' | 'generate'>(
  page: Page,
  id: string,
  method: M,
  request: object,
): Promise<Awaited<ReturnType<NonNullable<Window['strata']>['engine'][M]>>> {
  return page.evaluate(
    async ({ id, method, request }) => {
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
      const r = request as { ids?: number[]; mask?: number[]; t?: number };
      const input = r.ids
        ? {
            input: ['input_ids', 'attention_mask'].map((name, k) => ({
              name,
              dtype: 'int32' as const,
              shape: [r.ids!.length / r.t!, r.t!],
              data: Int32Array.from(k === 0 ? r.ids! : r.mask!),
            })),
            samples: r.ids.length / r.t!,
          }
        : {};
      const engine = window.strata!.engine as unknown as Record<
        string,
        (q: object) => Promise<unknown>
      >;
      return engine[method]({ files, source: id, ...request, ...input });
    },
    { id, method, request },
  ) as never;
}

type TradeoffRecord = {
  caption: string;
  data: {
    layers: number;
    series: { name: string; points: { meanExitLayer: number; accuracy: number }[] }[];
  };
};

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
  // The image model's first screen at its smallest N: it shares the CPU with the LM's runs.
  await openExplorer(page, 'backend=wasm&samples=16');

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

  // Early exit of both on the first 16 of those reviews: the curves equal the engine API's
  // lmExits on the same ids, and a generation shows a chip per token at engine.generate's layers.
  await setNumber(page, 'Texts (samples)', 16);
  const exitPanel = page.locator('section', {
    has: page.getByRole('heading', { name: 'Language model early exit' }),
  });
  await exitPanel.getByLabel('Exit rule').selectOption('entropy');
  await exitPanel.getByRole('button', { name: 'Run early exit' }).click();
  const exitCaption =
    /^LM early exit: next-token accuracy against mean exit layer · imdb-lm-aligned vs imdb-lm-standard · imdb test reviews .* tokens scored · entropy rule · accuracy axis/;
  await expect(figure(page, exitCaption)).toBeVisible({ timeout: 120_000 });
  const ids = heldOut(16, aligned.rowSeed);
  const wantExits = await engineLm(page, 'imdb-lm-aligned', 'lmExits', ids);
  const wantStandardExits = await engineLm(page, 'imdb-lm-standard', 'lmExits', ids);
  const chart = async () =>
    (
      (await page.evaluate(() => window.strataCharts?.() ?? [])) as unknown as TradeoffRecord[]
    ).find((c) => c.caption.startsWith('LM early exit:'))!;
  let shown = await chart();
  const n = (v: number) => v.toLocaleString('en-US');
  expect(shown.caption).toContain(
    `${n(wantExits.tokens)} and ${n(wantStandardExits.tokens)} tokens scored`,
  );
  expect(shown.data.series.map((s) => s.name)).toEqual(['imdb-lm-aligned', 'imdb-lm-standard']);
  type Point = { threshold?: number; meanExitLayer: number; accuracy: number; perplexity?: number };
  const pick = (points: Point[]) =>
    points.map((p) => [p.threshold, p.meanExitLayer, p.accuracy, p.perplexity]);
  expect(pick(shown.data.series[0].points)).toEqual(pick(wantExits.curves.entropy!.points));
  expect(pick(shown.data.series[1].points)).toEqual(pick(wantStandardExits.curves.entropy!.points));
  // The rule and measure switch the picture with no new run: every rule was swept at once.
  await exitPanel.getByLabel('Exit rule').selectOption('patience');
  await exitPanel.getByLabel('Measure').selectOption('perplexity');
  await expect(figure(page, /^LM early exit: perplexity .* patience rule$/)).toBeVisible();
  shown = await chart();
  expect(pick(shown.data.series[0].points)).toEqual(pick(wantExits.curves.patience!.points));

  // Generation: N chips whose exit layers are engine.generate's on the same prompt.
  await setNumber(page, 'New tokens', 8);
  await exitPanel.getByLabel('Generation rule').selectOption('patience');
  await exitPanel.getByRole('button', { name: 'Generate' }).click();
  const chips = exitPanel.getByRole('list', {
    name: 'Generated tokens and the layer each exited at',
  });
  await expect(chips.getByRole('listitem')).toHaveCount(8, { timeout: 60_000 });
  const gen = await engineLm(page, 'imdb-lm-aligned', 'generate', {
    text: { texts: ['this movie was one of the'], source: 'the prompt' },
    samples: 1,
    maxNew: 8,
    rule: 'patience',
    threshold: 1,
    suppress: [0, 1],
  });
  const layers = await chips
    .getByRole('listitem')
    .evaluateAll((li) => li.map((e) => Number(e.getAttribute('data-exit-layer'))));
  expect(layers).toEqual(gen.samples[0].tokens.map((t) => t.exitLayer));
  // A built-in LM never generates [PAD] (0) or [UNK] (1): the chips read as words.
  expect(gen.samples[0].tokens.filter((t) => t.token <= 1)).toEqual([]);
  await expect(chips.getByRole('listitem').first()).not.toHaveText(/#1|\[UNK\]/);
  const mean = layers.reduce((a, b) => a + b, 0) / layers.length;
  await expect(exitPanel).toContainText(`mean exit layer ${Number(mean.toFixed(4))} of 4`);
  await expect(exitPanel).toContainText('CALM’s state propagation');

  await exitPanel.getByLabel('Measure').selectOption('accuracy');
  await screenshot(page, 'screens/1440x900-lm-early-exit', exitPanel);
  await page.setViewportSize({ width: 1024, height: 768 });
  await screenshot(page, 'screens/1024x768-lm-early-exit', exitPanel);
  await page.setViewportSize({ width: 1440, height: 900 });

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
