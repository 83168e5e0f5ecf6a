// A user's dataset is the user's, whatever model reads it: an image zip dropped while MNIST is open
// is read by the MNIST models and by an imported 8×8 RGB ViT; a text CSV dropped while an image
// model is open is read by the built-in IMDB models, analysed and fine-tuned.
import { expect, test } from '@playwright/test';
import { zipSync } from 'fflate';
import { writeFileSync } from 'node:fs';
import { figure, heatmapFills, openExplorer, screenshot, setNumber } from './explorerPage';
import { countUncaught, uncaught } from './importPage';
import { watchErrors } from './pageErrors';

test.describe('a user dataset read by every model of its kind', () => {
  test('an image zip dropped on MNIST is then analysed by an imported ViT at its own size', async ({
    page,
  }, info) => {
    test.setTimeout(420_000);
    const errors = watchErrors(page);
    await countUncaught(page);
    await openExplorer(page);
    // 36×36 colour images in the ViT fixture's three classes, encoded by the browser itself.
    const encoded = await page.evaluate(async () => {
      const out: Record<string, number[]> = {};
      const colours = { cat: '#ff3000', dog: '#20a040', bird: '#1040ff' };
      for (const [cls, colour] of Object.entries(colours))
        for (let i = 0; i < 6; i++) {
          const canvas = new OffscreenCanvas(36, 36);
          const ctx = canvas.getContext('2d')!;
          ctx.fillStyle = '#ffffff';
          ctx.fillRect(0, 0, 36, 36);
          ctx.fillStyle = colour;
          ctx.fillRect(3 * i, 2 * i, 12 + i, 10 + 2 * i);
          const blob = await canvas.convertToBlob({ type: 'image/png' });
          out[`pets/${cls}/${i}.png`] = Array.from(new Uint8Array(await blob.arrayBuffer()));
        }
      return out;
    });
    const zip = zipSync(
      Object.fromEntries(Object.entries(encoded).map(([k, v]) => [k, Uint8Array.from(v)])),
    );
    const path = info.outputPath('pets.zip');
    writeFileSync(path, zip);
    await page.getByLabel('Open files').setInputFiles(path);
    const preview = page.getByRole('region', { name: 'Preview: pets.zip' });
    await expect(preview).toBeVisible({ timeout: 60_000 });
    // Kept at their own size and colour, not fitted to MNIST's 28×28 grey.
    await expect(preview).toContainText('Images, 3 classes, 18 rows of 36×36×3');
    await expect(preview.locator('.import-notes')).toContainText('Images are kept at 36×36×3');
    await expect(preview).toContainText(/Read by mnist-standard, mnist-aligned, mnist-multihead/);
    await expect(preview).toContainText('"Use this dataset" opens it with mnist-aligned');
    await preview.getByRole('button', { name: 'Use this dataset' }).click();
    await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('user-pets');
    const onMnist = figure(page, /^Cosine similarity · mnist-aligned · user-pets test/);
    await expect
      .poll(async () => (await heatmapFills(onMnist)).length, { timeout: 120_000 })
      .toBeGreaterThan(1);

    // The ViT fixture reads 8×8×3 images with the same three classes.
    await page.getByLabel('Open a folder').setInputFiles('src/engine/import/fixtures/vit-a');
    const review = page.locator('section', {
      has: page.getByRole('heading', { name: 'Your model: vit-a' }),
    });
    await expect(review).toContainText('ViTForImageClassification', { timeout: 60_000 });
    await expect(page.getByTestId('import-dataset')).toHaveText(
      'Opens on pets.zip, the current dataset.',
    );
    await review.getByRole('button', { name: 'Use this model' }).click();
    await expect(page.getByLabel('Model', { exact: true })).toHaveValue('user-vit-a');
    await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('user-pets');
    const cosine = figure(page, /^Cosine similarity · user-vit-a · user-pets test/);
    await expect
      .poll(async () => (await heatmapFills(cosine)).length, { timeout: 120_000 })
      .toBe(9); // embeddings + 2 blocks, squared
    await expect(figure(page, /^Linear CKA · user-vit-a · user-pets/)).toBeVisible();
    await screenshot(page, 'user-images-on-vit');
    expect(await uncaught(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('a 200-row text CSV dropped on an image model is read, analysed and fine-tuned by the IMDB models', async ({
    page,
  }) => {
    test.setTimeout(480_000);
    const errors = watchErrors(page);
    await countUncaught(page);
    await openExplorer(page);
    const good = ['great', 'moving', 'brilliant', 'wonderful', 'fine'];
    const bad = ['awful', 'boring', 'dull', 'terrible', 'bad'];
    const rows = Array.from({ length: 200 }, (_, i) => {
      const pos = i % 2 === 0;
      const w = (pos ? good : bad)[(i * 7) % 5];
      return `"a ${w} film, the plot was ${w} and I ${pos ? 'loved' : 'hated'} it",${pos ? 'positive' : 'negative'}`;
    });
    await page.getByLabel('Open files').setInputFiles({
      name: 'reviews.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['text,label', ...rows].join('\n') + '\n'),
    });
    const preview = page.getByRole('region', { name: 'Preview: reviews.csv' });
    await expect(preview).toBeVisible({ timeout: 60_000 });
    await expect(preview).toContainText('Texts, 2 classes, 200 rows');
    await expect(preview).toContainText(/Read by imdb-standard, imdb-aligned, imdb-multihead/);
    await expect(preview).not.toContainText('drop them again');
    await preview.getByRole('button', { name: 'Use this dataset' }).click();
    await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('user-reviews');
    await expect(page.getByLabel('Model', { exact: true })).toHaveValue('imdb-aligned');
    const cosine = figure(page, /^Cosine similarity · imdb-aligned · user-reviews test, N = 40/);
    await expect
      .poll(async () => (await heatmapFills(cosine)).length, { timeout: 180_000 })
      .toBe(25); // embeddings + 4 blocks, squared
    await screenshot(page, 'user-texts-on-imdb');

    await setNumber(page, 'Steps', 4);
    await setNumber(page, 'Evaluate every (steps)', 2);
    await page.getByRole('button', { name: /^Start/ }).click();
    await expect(page.getByTestId('train-status')).toHaveText(/^done · step 4 \/ 4/, {
      timeout: 240_000,
    });
    await expect(page.getByRole('alert')).not.toContainText(/failed/i);
    expect(await uncaught(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
