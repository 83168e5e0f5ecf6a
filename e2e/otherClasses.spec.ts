// A user's dataset with other classes than the model's head: the similarity views need no labels,
// so they are drawn; accuracy and early exit say why they are absent instead of failing.
import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'fflate';
import { encodePng } from './fixtures/png';
import { figure, heatmapFills, openExplorer, screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';

test('a 3-class image folder is analysed by the 10-class MNIST models, without accuracy', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  const dir = info.outputPath('shapes');
  const x = gunzipSync(readFileSync('public/datasets/mnist/test-x.u8.gz'));
  const y = readFileSync('public/datasets/mnist/test-y.u8');
  const names = ['circle', 'line', 'hook'];
  const taken = [0, 0, 0];
  for (let i = 0; i < y.length && taken.some((t) => t < 10); i++) {
    if (y[i] > 2 || taken[y[i]] >= 10) continue;
    mkdirSync(join(dir, names[y[i]]), { recursive: true });
    const png = encodePng(x.subarray(i * 784, (i + 1) * 784), 28, 28, 1);
    writeFileSync(join(dir, names[y[i]], `${i}.png`), png);
    taken[y[i]]++;
  }
  await openExplorer(page);
  await page.getByLabel('Open a folder').setInputFiles(dir);
  const preview = page.getByRole('region', { name: 'Preview: shapes' });
  await expect(preview).toBeVisible({ timeout: 60_000 });
  await preview.getByRole('button', { name: 'Use this dataset' }).click();
  const cosine = figure(page, /^Cosine similarity · mnist-aligned · user-shapes test/);
  await expect.poll(async () => (await heatmapFills(cosine)).length, { timeout: 120_000 }).toBe(49);
  const accuracy = page.getByRole('region', { name: 'Per-layer accuracy' });
  await expect(accuracy.getByRole('note').first()).toContainText(
    "the model's head has 10 classes, the dataset 3",
    { timeout: 120_000 },
  );
  // No stale curves of the previous dataset under this one's caption.
  await expect(figure(page, /^Accuracy of the shared classifier/)).toHaveCount(0);
  await expect(figure(page, /^Saturation layer/)).toContainText('user-shapes');
  await expect(page.getByRole('region', { name: 'Early exit' }).getByRole('note')).toContainText(
    "mnist-aligned's head has 10 classes",
  );
  await screenshot(page, 'other-classes');
  await expect(page.getByRole('alert').locator('p')).toHaveCount(0);
  expect(errors).toEqual([]);
});
