import { expect, test } from '@playwright/test';
import { figure, heatmapFills, openExplorer, screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';

// WebGPU in headless Chromium runs on SwiftShader (a CPU): correct but slow, so N = 128.
test('on webgpu the first heatmaps appear without a click', async ({ page }) => {
  test.setTimeout(420_000);
  const errors = watchErrors(page);
  await openExplorer(page, 'backend=webgpu&samples=128', 360_000);
  await expect(page.getByRole('status', { name: 'Engine backend' })).toHaveAttribute(
    'data-backend',
    'webgpu',
  );
  const cosine = figure(page, /^Cosine similarity · mnist-aligned · mnist test, N = 128 /);
  const fills = await heatmapFills(cosine);
  const n = Math.sqrt(fills.length);
  // Every layer's cosine with itself is 1: one colour down the diagonal.
  expect(new Set(Array.from({ length: n }, (_, i) => fills[i * n + i])).size).toBe(1);
  await expect(figure(page, /^Linear CKA · mnist-aligned · mnist test, N = 128 /)).toBeVisible();
  await screenshot(
    page,
    'first-screen-webgpu',
    page.locator('section', { has: page.getByRole('heading', { name: 'Similarity' }) }),
  );
  expect(errors).toEqual([]);
});
