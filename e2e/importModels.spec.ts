import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { NamedArray } from '../src/engine/io/dtypes';
import { writeNpz } from '../src/engine/io/npz';
import { figure, heatmapFills, openExplorer, screenshot, setNumber } from './explorerPage';
import { watchErrors } from './pageErrors';

// Users' models and activations (issue 6), opened through the drop zone's labelled pickers
// ("Open a folder" for checkpoint folders, "Open files" for loose files), as a user would.

const HF = 'src/engine/import/fixtures';
const VIT_MNIST = 'e2e/fixtures/models/vit-mnist';
const BERT_IMDB = 'e2e/fixtures/models/bert-imdb';
const read = (path: string) => new Uint8Array(readFileSync(path));
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Opens a checkpoint folder with the "Open a folder" picker (its files keep the folder's name). */
async function openFolder(page: Page, folder: string): Promise<void> {
  await page.getByLabel('Open a folder').setInputFiles(folder);
}

/** Opens loose files with the "Open files" picker. */
async function openFiles(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  await page.getByLabel('Open files').setInputFiles(
    files.map((f) => ({
      name: f.name,
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(f.bytes),
    })),
  );
}

/** Six layers of 200 samples drifting away from the first, as a user's own capture would. */
function demoActivations(): Uint8Array {
  const n = 200;
  const d = 16;
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const arrays: NamedArray[] = [];
  let current = Float32Array.from({ length: n * d }, rand);
  for (let l = 0; l < 6; l++) {
    arrays.push({ name: `layer_${l}`, dtype: 'float32', shape: [n, d], data: current });
    current = current.map((v) => 0.8 * v + 0.45 * rand());
  }
  return writeNpz(arrays);
}

const alerts = (page: Page) => page.getByRole('alert');
const review = (page: Page, name: string) =>
  page.locator('section', { has: page.getByRole('heading', { name: `Your model: ${name}` }) });
const mainCosine = /^Cosine similarity · mnist-aligned · mnist test, N = 1,000/;

test.describe('importing models and activations', () => {
  test('a tiny ViT that does not fit MNIST says so; a 28×28 grey one is analysed and fine-tuned', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    await openFolder(page, `${HF}/vit-a`);
    const tiny = review(page, 'vit-a');
    await expect(tiny).toContainText('ViTForImageClassification');
    await expect(page.getByTestId('import-dataset')).toHaveText(
      /^Needs an image dataset of 8×8×3 \(H×W×C\) images with 3 classes; no dataset here fits \(MNIST: its images are 28×28×1 \(H×W×C\), the model reads 8×8×3\)/,
    );
    await expect(tiny.getByRole('button', { name: 'Use this model' })).toBeDisabled();
    await screenshot(page, 'import-model-needs-dataset', tiny);
    await tiny.getByRole('button', { name: 'Cancel' }).click();
    await expect(tiny).toHaveCount(0);

    await openFolder(page, VIT_MNIST);
    const summary = review(page, 'vit-mnist');
    await expect(summary).toContainText('Parameters');
    await expect(page.getByTestId('import-dataset')).toHaveText(
      'Opens on MNIST, the current dataset.',
    );
    await screenshot(page, 'import-model-summary', summary);
    await summary.getByRole('button', { name: 'Use this model' }).click();
    await expect(page.getByLabel('Model', { exact: true })).toHaveValue('user-vit-mnist');
    await expect(alerts(page)).toContainText('Opened your model user-vit-mnist on MNIST.');
    const cosine = figure(page, /^Cosine similarity · user-vit-mnist · mnist test, N = 1,000/);
    await expect
      .poll(async () => (await heatmapFills(cosine)).length, { timeout: 120_000 })
      .toBe(9);
    await expect(figure(page, /^Linear CKA · user-vit-mnist/)).toBeVisible();
    await screenshot(page, 'import-model-analysed');

    // It fine-tunes like a built-in model.
    await setNumber(page, 'Steps', 4);
    await setNumber(page, 'Evaluate every (steps)', 2);
    await page.getByRole('button', { name: /^Start/ }).click();
    await expect(page.getByTestId('train-status')).toHaveText(/^done · step 4 \/ 4/, {
      timeout: 120_000,
    });
    await expect(alerts(page)).not.toContainText(/failed/i);
    expect(errors).toEqual([]);
  });

  test('an activation file opens the analysis-only view; Back returns to the model as it was', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    const before = await heatmapFills(figure(page, mainCosine));
    await openFiles(page, [{ name: 'acts-demo.npz', bytes: demoActivations() }]);
    await expect(page.getByRole('heading', { name: 'Similarity of acts-demo.npz' })).toBeVisible();
    const cosine = figure(page, /^Cosine similarity · acts-demo\.npz · N = 200 · 6 layers$/);
    await expect.poll(async () => (await heatmapFills(cosine)).length).toBe(36);
    await expect(figure(page, /^Linear CKA · acts-demo\.npz · N = 200 · 6 layers$/)).toBeVisible();
    await expect(page.getByTestId('activations-agreement')).toContainText('Pearson r =');
    for (const title of ['Per-layer accuracy', 'Early exit', 'Fine-tune'])
      await expect(page.getByRole('region', { name: title })).toContainText('Needs a model');
    await expect(page.getByRole('button', { name: /^Start/ })).toHaveCount(0);
    await screenshot(page, 'import-activations');

    await page.getByRole('button', { name: 'Back to mnist-aligned' }).click();
    await expect(page.getByRole('heading', { name: 'Similarity of acts-demo.npz' })).toHaveCount(0);
    expect(await heatmapFills(figure(page, mainCosine))).toEqual(before);
    await expect(page.getByLabel('Model', { exact: true })).toHaveValue('mnist-aligned');
    await expect(page.getByRole('button', { name: /^Start/ })).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('broken checkpoints and activations are named in the alert region; the page stays', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    const before = await heatmapFills(figure(page, mainCosine));
    const config = read(`${VIT_MNIST}/config.json`);
    const weights = read(`${VIT_MNIST}/model.safetensors`);
    await openFiles(page, [
      { name: 'config.json', bytes: config },
      { name: 'model.safetensors', bytes: weights.subarray(0, weights.length - 100) },
    ]);
    await expect(alerts(page)).toContainText(
      /Model not imported: model\.safetensors: .*data_offsets .* lie outside the data section/,
    );
    await openFiles(page, [
      { name: 'config.json', bytes: utf8('{"architectures": [') },
      { name: 'model.safetensors', bytes: weights },
    ]);
    await expect(alerts(page)).toContainText(
      'Model not imported: config.json: not valid UTF-8 JSON',
    );
    const json = JSON.parse(new TextDecoder().decode(config)) as Record<string, unknown>;
    const gpt = { ...json, architectures: ['GPT2LMHeadModel'], model_type: 'gpt2' };
    await openFiles(page, [
      { name: 'config.json', bytes: utf8(JSON.stringify(gpt)) },
      { name: 'model.safetensors', bytes: weights },
    ]);
    // A GPT-2 is read as a language model: a ViT's config relabelled lacks GPT-2's keys.
    await expect(alerts(page)).toContainText(
      'Language model not imported: config.json: key "n_embd" is undefined, expected a positive integer',
    );
    const mismatched = writeNpz([
      { name: 'layer_0', dtype: 'float32', shape: [5, 2], data: new Float32Array(10) },
      { name: 'layer_1', dtype: 'float32', shape: [4, 2], data: new Float32Array(8) },
    ]);
    await openFiles(page, [{ name: 'mismatched.npz', bytes: mismatched }]);
    await expect(alerts(page)).toContainText(
      'Activations not opened: mismatched.npz: array "layer_1" has 4 rows but "layer_0" has 5; every layer must hold the same N samples',
    );
    await screenshot(page, 'import-errors');
    await screenshot(page, 'import-errors-alerts', alerts(page));
    await expect(page.getByLabel('Model', { exact: true })).toHaveValue('mnist-aligned');
    await expect(page.getByRole('heading', { name: /^Your model/ })).toHaveCount(0);
    expect(await heatmapFills(figure(page, mainCosine))).toEqual(before);
    expect(errors).toEqual([]);
  });

  test("a RoBERTa and a DistilBERT are summarised; the RoBERTa's tokenizer limit is said", async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    await openFolder(page, `${HF}/roberta-a`);
    const roberta = review(page, 'roberta-a');
    await expect(roberta).toContainText('RobertaForSequenceClassification');
    await expect(roberta).toContainText('up to 10 tokens');
    await expect(roberta).toContainText('positions count from pad_token_id + 1 = 2');
    await expect(page.getByTestId('import-dataset')).toHaveText(
      /^Needs a text dataset with 2 classes re-encoded with the model's own tokenizer, which cannot be done here: RoBERTa's byte-level BPE tokenizer is not one Strata runs/,
    );
    await expect(roberta.getByRole('button', { name: 'Use this model' })).toBeDisabled();
    await roberta.getByRole('button', { name: 'Cancel' }).click();
    await expect(roberta).toHaveCount(0);

    await openFolder(page, `${HF}/distilbert-b`);
    const distil = review(page, 'distilbert-b');
    await expect(distil).toContainText('DistilBertForSequenceClassification');
    await expect(distil).toContainText('pre_classifier (dense + ReLU on token 0)');
    await expect(page.getByTestId('import-dataset')).toHaveText(
      /^Needs a text dataset with 2 classes, tokenised with the model's own tokenizer \(tokenizer\.json or vocab\.txt, not dropped\)/,
    );
    await distil.getByRole('button', { name: 'Cancel' }).click();
    await expect(alerts(page)).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('a BERT with its vocab.txt is analysed on IMDB re-encoded into its word pieces', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    await openFolder(page, BERT_IMDB);
    const summary = review(page, 'bert-imdb');
    await expect(summary).toContainText('BertForSequenceClassification');
    await expect(summary).toContainText('bert-imdb/vocab.txt (1,000 tokens)');
    await expect(page.getByTestId('import-dataset')).toHaveText(/^Opens on IMDB/);
    await screenshot(page, 'import-bert-summary', summary);
    await summary.getByRole('button', { name: 'Use this model' }).click();
    await expect(page.getByLabel('Model', { exact: true })).toHaveValue('user-bert-imdb');
    await expect(alerts(page)).toContainText(
      /Opened your model user-bert-imdb on IMDB .*, word pieces for user-bert-imdb\. .*Note: its texts are re-encoded into word pieces with bert-imdb\/vocab\.txt \(at most 64 tokens\)\./,
    );
    const cosine = figure(
      page,
      /^Cosine similarity · user-bert-imdb · imdb-for-user-bert-imdb test, N = 1,000/,
    );
    await expect
      .poll(async () => (await heatmapFills(cosine)).length, { timeout: 120_000 })
      .toBe(9);
    await screenshot(page, 'import-bert-analysed');
    expect(errors).toEqual([]);
  });
});
