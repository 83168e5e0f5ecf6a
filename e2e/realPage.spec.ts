import { expect, test, type Page } from '@playwright/test';
import {
  figure,
  heatmapFills,
  openExplorer,
  screenshot,
  setNumber,
  watchForElement,
} from './explorerPage';
import { longTasksSince, pageNow, watchLongTasks } from './longTaskWatch';
import { watchErrors } from './pageErrors';

// The page at real size: a dropped model's review before its weights, the weights loading in the
// background, the first analysis's sample count said, and an analysis cancelled mid-way; the
// engine's work stays off the page's main thread.

const VIT_MNIST = 'e2e/fixtures/models/vit-mnist';
const review = (page: Page, name: string) =>
  page.locator('section', { has: page.getByRole('heading', { name: `Your model: ${name}` }) });

test('review first, weights in the background, and a cancelled analysis keeps its chart', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await watchForElement(page, '[data-testid="weights-progress"]', '__sawWeights');
  await watchLongTasks(page);
  await openExplorer(page);
  await page.getByLabel('Open a folder').setInputFiles(VIT_MNIST);
  const summary = review(page, 'vit-mnist');
  await expect(summary).toContainText('ViTForImageClassification');
  await expect(summary).toContainText(/Weights\s*\d+ kB in \d+ tensors/);
  await expect(page.getByTestId('weights-progress')).toHaveText(
    /^Weights loaded: \d+ kB, \d+ tensors\.$/,
  );
  expect(
    await page.evaluate(() => (window as unknown as Record<string, boolean>).__sawWeights),
  ).toBe(true);
  await screenshot(page, 'real-page-review', summary);
  const analysisStart = await pageNow(page);
  await summary.getByRole('button', { name: 'Use this model' }).click();
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('user-vit-mnist');
  const cosine = figure(page, /^Cosine similarity · user-vit-mnist · mnist test, N = 1,000/);
  await expect.poll(async () => (await heatmapFills(cosine)).length, { timeout: 120_000 }).toBe(9);
  // The forward passes ran in the worker: no TensorFlow.js engine was ever made on this thread,
  // and no main-thread task of the analysis came near a forward pass of 1,000 samples (a
  // generous bound: CI machines are shared, and Playwright's own polling runs here too).
  expect(await page.evaluate(() => '_tfengine' in globalThis)).toBe(false);
  const longTasks = await longTasksSince(page, analysisStart);
  const longest = Math.max(0, ...longTasks.map((t) => t.duration));
  test.info().annotations.push({
    type: 'main-thread long tasks during the first analysis',
    description: `${longTasks.length}, longest ${Math.round(longest)} ms`,
  });
  expect(longest).toBeLessThan(1500);
  // A small model's first analysis reads every sample asked for: no budget note.
  await expect(page.getByTestId('sample-budget')).toHaveCount(0);
  await expect(page.getByTestId('fine-tune-cost')).toHaveText(
    /^Cost: ~[\d.]+ [kMG]B of memory \(weights \d+ kB, gradients \d+ kB, AdamW states \d+ kB, activations [\d.]+ [kMG]B\); .* a step \(estimated\)\.$/,
  );

  // Ten times the samples, cancelled mid-way: the chart of 1,000 stays.
  const before = await heatmapFills(cosine);
  await setNumber(page, 'Samples N', 10000);
  const progress = page.getByTestId('analysis-progress');
  await expect(progress).toContainText(/Analysing the model/);
  await screenshot(page, 'real-page-analysis-progress', progress);
  await progress.getByRole('button', { name: 'Cancel the analysis' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Analysis cancelled; the charts show the previous result.',
  );
  await expect(progress).toHaveCount(0);
  expect(await heatmapFills(cosine)).toEqual(before);
  expect(errors).toEqual([]);
});
