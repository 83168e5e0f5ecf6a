import { expect, test } from '@playwright/test';
import type { NamedArray } from '../src/engine/io/dtypes';
import { writeNpz } from '../src/engine/io/npz';
import { watchErrors } from './pageErrors';

// A file opened as the page loads, before the engine has started, waits for it instead of being
// refused. The engine's start is held back by holding its wasm files until the file is picked.

/** Four layers of 64 samples, enough for the analysis-only view. */
function activations(): Buffer {
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const arrays: NamedArray[] = [];
  let current = Float32Array.from({ length: 64 * 8 }, rand);
  for (let l = 0; l < 4; l++) {
    arrays.push({ name: `layer_${l}`, dtype: 'float32', shape: [64, 8], data: current });
    current = current.map((v) => 0.8 * v + 0.45 * rand());
  }
  return Buffer.from(writeNpz(arrays));
}

test('a file picked before the engine is ready is opened once it is', async ({ page }) => {
  const errors = watchErrors(page);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/?backend=wasm');
  await page.getByLabel('Open files').setInputFiles({
    name: 'early.npz',
    mimeType: 'application/octet-stream',
    buffer: activations(),
  });
  const progress = page.getByTestId('import-progress');
  const refused = page.getByRole('alert').getByText(/not opened/);
  const noRefusal = async () =>
    expect((await page.locator('[role="alert"]').allTextContents()).join(' ')).not.toMatch(
      /init\(\) must be called|not opened/,
    );
  // While the engine starts, the file waits and the page says so.
  await expect(progress.or(refused)).toBeVisible();
  await noRefusal();
  await expect(progress).toHaveText('early.npz: waiting for the engine…');
  release();
  const opened = page.getByRole('heading', { name: 'Similarity of early.npz' });
  await expect(opened.or(refused)).toBeVisible({ timeout: 120_000 });
  await noRefusal();
  await expect(opened).toBeVisible();
  await expect(progress).toHaveCount(0);
  // The page's first model, loaded meanwhile, is where "Back" goes; the file stays open.
  await expect(page.getByRole('button', { name: 'Back to mnist-aligned' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(opened).toBeVisible();
  expect(errors).toEqual([]);
});
