import { expect, test, type Page } from '@playwright/test';
import type { NamedArray } from '../src/engine/io/dtypes';
import { writeNpy } from '../src/engine/io/npy';
import { figure, heatmapFills, openExplorer, screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';

// Activation files at the edges users reach: hundreds of layers, and values far from 1 (a
// model's activations saved in other units). The page must draw them, with the same picture
// whatever the scale.

/** A [layers, n, d] stack of seeded values drifting from layer to layer, times `factor`. */
function stack(layers: number, n: number, d: number, factor: number): Uint8Array {
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const data = new Float32Array(layers * n * d);
  for (let i = 0; i < n * d; i++) data[i] = rand();
  for (let l = 1; l < layers; l++) {
    for (let i = 0; i < n * d; i++)
      data[l * n * d + i] = 0.8 * data[(l - 1) * n * d + i] + 0.4 * rand();
  }
  const array: NamedArray = {
    name: 'acts',
    dtype: 'float32',
    shape: [layers, n, d],
    data: data.map((v) => v * factor),
  };
  return writeNpy(array);
}

async function openFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.getByLabel('Open files').setInputFiles({
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(bytes),
  });
}

test('an activation file of 400 layers is drawn, with no error', async ({ page }) => {
  const errors = watchErrors(page);
  await openExplorer(page);
  await openFile(page, 'deep.npy', stack(400, 24, 8, 1));
  await expect(page.getByRole('heading', { name: 'Similarity of deep.npy' })).toBeVisible({
    timeout: 120_000,
  });
  const cosine = figure(page, /^Cosine similarity · deep\.npy · N = 24 · 400 layers$/);
  await expect(cosine.locator('canvas')).toBeVisible();
  await expect(figure(page, /^Linear CKA · deep\.npy · N = 24 · 400 layers$/)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await screenshot(page, 'activations-400-layers');
  expect(errors).toEqual([]);
});

test('activations scaled by 1e-30 or 1e30 draw the same heatmaps as at scale 1', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openExplorer(page);
  const pictures: Record<string, string[][]> = {};
  for (const [name, factor] of [
    ['unit.npy', 1],
    ['tiny.npy', 1e-30],
    ['huge.npy', 1e30],
  ] as const) {
    await openFile(page, name, stack(6, 200, 16, factor));
    const caption = (metric: string) => new RegExp(`^${metric} · ${name.replace('.', '\\.')} · `);
    const cosine = figure(page, caption('Cosine similarity'));
    const cka = figure(page, caption('Linear CKA'));
    await expect.poll(async () => (await heatmapFills(cka)).length).toBe(36);
    pictures[name] = [await heatmapFills(cosine), await heatmapFills(cka)];
    await expect(page.getByText(/undefined|zero variance|constant/)).toHaveCount(0);
  }
  expect(pictures['tiny.npy']).toEqual(pictures['unit.npy']);
  expect(pictures['huge.npy']).toEqual(pictures['unit.npy']);
  // Not vacuous: the layers drift apart, so the CKA picture has more than one colour.
  expect(new Set(pictures['unit.npy'][1]).size).toBeGreaterThan(3);
  expect(errors).toEqual([]);
});
