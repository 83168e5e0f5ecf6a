// Users' datasets through the page's drop zone (issue 6): every malformed file of the corpus
// (e2e/fixtures/malformed) is refused with its message while the page keeps what it showed; good
// image-folder and JSONL datasets are previewed, used and analysed; a 60k-row MNIST CSV loads
// with a progress bar while the main thread stays free (long tasks reported).
import { expect, test } from '@playwright/test';
import { gunzipSync, zipSync } from 'fflate';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from './fixtures/png';
import { ARTIFACTS, figure, heatmapFills, openExplorer, screenshot } from './explorerPage';
import {
  countUncaught,
  deliver,
  dropFiles,
  idle,
  MALFORMED_CASES,
  pageState,
  settled,
  uncaught,
} from './importPage';
import { watchErrors } from './pageErrors';

test.describe('dataset import', () => {
  test('malformed files are refused with a message; the page keeps what it showed', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const errors = watchErrors(page);
    await countUncaught(page);
    // The first screen at its smallest N: the check is that the page keeps it, whatever N is.
    await openExplorer(page, 'backend=wasm&samples=16');
    await settled(page);
    const before = await pageState(page);

    // The overlay while files are dragged over the page.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'x.csv'));
      document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }));
    });
    await expect(page.getByTestId('drop-overlay')).toHaveText(
      'Drop a dataset, a model or activations',
    );
    await page.screenshot({ path: `${ARTIFACTS}/import-overlay.png` }); // the viewport it covers
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'x.csv'));
      document.body.dispatchEvent(new DragEvent('dragleave', { dataTransfer: dt, bubbles: true }));
    });
    await expect(page.getByTestId('drop-overlay')).toHaveCount(0);

    const alert = page.getByRole('alert');
    for (const [what, delivery, message] of MALFORMED_CASES) {
      await test.step(what, async () => {
        await idle(page);
        await deliver(page, delivery);
        await expect(alert, what).toContainText(message);
        await idle(page);
        // Alerts are kept six at a time: dismiss them so each case is seen on its own.
        if (what === 'a corrupt PNG in a class folder')
          await screenshot(page, 'import-error', page.locator('.notices'));
        for (const b of await alert.getByRole('button', { name: /^Dismiss/ }).all())
          await b.click();
      });
    }
    await expect(page.getByRole('region', { name: /^Preview/ })).toHaveCount(0);
    expect(await pageState(page)).toEqual(before);
    expect(await uncaught(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('an image folder and a JSONL are previewed, used and analysed', async ({ page }, info) => {
    test.setTimeout(420_000);
    const errors = watchErrors(page);
    await countUncaught(page);
    // 12 test images per digit from the shipped MNIST, as a folder of class folders of PNGs.
    const dir = info.outputPath('digits');
    const x = gunzipSync(readFileSync('public/datasets/mnist/test-x.u8.gz'));
    const y = readFileSync('public/datasets/mnist/test-y.u8');
    const taken = new Array(10).fill(0);
    for (let i = 0; i < y.length && taken.some((t) => t < 12); i++) {
      if (taken[y[i]] >= 12) continue;
      mkdirSync(join(dir, String(y[i])), { recursive: true });
      const png = encodePng(x.subarray(i * 784, (i + 1) * 784), 28, 28, 1);
      writeFileSync(join(dir, String(y[i]), `${i}.png`), png);
      taken[y[i]]++;
    }
    await openExplorer(page);
    await page.getByLabel('Open a folder').setInputFiles(dir);
    const preview = page.getByRole('region', { name: 'Preview: digits' });
    await expect(preview).toBeVisible({ timeout: 60_000 });
    await expect(preview.getByRole('img', { name: /first 24 test images/i })).toBeVisible();
    await expect(preview.locator('table.class-counts caption')).toContainText('96 train / 24 test');
    await expect(preview).toContainText('"Use this dataset" opens it with mnist-aligned');
    // The split, from the keyboard: 20 % → 25 %.
    const split = preview.getByLabel(/^Test split/);
    await split.focus();
    await split.press('ArrowRight');
    await expect(preview.locator('table.class-counts caption')).toContainText('90 train / 30 test');
    await screenshot(page, 'import-preview-images', page.locator('.panel-import'));
    await preview.getByRole('button', { name: 'Use this dataset' }).click();
    await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('user-digits');
    await expect(page.getByLabel('Dataset', { exact: true }).locator('option:checked')).toHaveText(
      'digits (yours)',
    );
    const cosine = figure(page, /^Cosine similarity · mnist-aligned · user-digits test, N = 30 /);
    await expect
      .poll(async () => (await heatmapFills(cosine)).length, { timeout: 120_000 })
      .toBeGreaterThan(1);

    // Text: a JSONL of reviews, read by the built-in IMDB models with their own tokenizer.
    const words = ['great', 'awful', 'moving', 'boring', 'brilliant', 'dull', 'fine', 'bad'];
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({
        text: `a ${words[i % 8]} film, ${i % 2 ? 'I hated' : 'I loved'} the ${words[(i * 3) % 8]} plot`,
        label: i % 2 ? 'neg' : 'pos',
      }),
    );
    await dropFiles(page, [
      { name: 'reviews.jsonl', bytes: new TextEncoder().encode(lines.join('\n')) },
    ]);
    const textPreview = page.getByRole('region', { name: 'Preview: reviews.jsonl' });
    await expect(textPreview).toBeVisible({ timeout: 60_000 });
    await expect(textPreview).toContainText('Texts, 2 classes, 40 rows');
    await expect(textPreview.locator('.text-samples li').first()).toContainText(/film/);
    await expect(textPreview.locator('table.class-counts caption')).toContainText(
      '32 train / 8 test',
    );
    await expect(textPreview).toContainText('Read by imdb-standard, imdb-aligned, imdb-multihead');
    await screenshot(page, 'import-preview-text', page.locator('.panel-import'));
    await textPreview.getByRole('button', { name: 'Use this dataset' }).click();
    await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('user-reviews');
    await expect(page.getByLabel('Model', { exact: true })).toHaveValue('imdb-aligned');
    await screenshot(page, 'import-used-text');
    expect(await uncaught(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('colour JPEG, WebP and PNG images in a zip are decoded at their own size and colour', async ({
    page,
  }, info) => {
    const errors = watchErrors(page);
    await countUncaught(page);
    await openExplorer(page);
    // 40×40 colour squares encoded by the browser itself (no image encoder in Node here).
    const encoded = await page.evaluate(async () => {
      const out: Record<string, number[]> = {};
      for (const [cls, colour] of [
        ['red', '#ff0000'],
        ['blue', '#0000ff'],
      ]) {
        for (const type of ['image/jpeg', 'image/webp', 'image/png']) {
          const canvas = new OffscreenCanvas(40, 40);
          const ctx = canvas.getContext('2d')!;
          ctx.fillStyle = colour;
          ctx.fillRect(0, 0, 40, 40);
          const blob = await canvas.convertToBlob({ type, quality: 0.9 });
          out[`shapes/${cls}/${type.slice(6)}.${type.slice(6)}`] = Array.from(
            new Uint8Array(await blob.arrayBuffer()),
          );
        }
      }
      return out;
    });
    const zip = zipSync(
      Object.fromEntries(Object.entries(encoded).map(([k, v]) => [k, Uint8Array.from(v)])),
    );
    const path = info.outputPath('shapes.zip');
    writeFileSync(path, zip);
    await page.getByLabel('Open files').setInputFiles(path);
    const preview = page.getByRole('region', { name: 'Preview: shapes.zip' });
    await expect(preview).toBeVisible({ timeout: 60_000 });
    await expect(preview).toContainText('Images, 2 classes, 6 rows of 40×40×3');
    await expect(preview.locator('.import-notes')).toContainText('Images are kept at 40×40×3');
    await expect(preview.locator('.import-notes')).not.toContainText('converted');
    await preview.getByRole('button', { name: 'Cancel' }).click();
    await expect(preview).toHaveCount(0);
    await expect(page.getByLabel('Dataset', { exact: true })).toHaveValue('mnist');
    expect(await uncaught(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('a 60k-row MNIST CSV streams in with a progress bar; main-thread long tasks reported', async ({
    page,
  }, info) => {
    test.setTimeout(480_000);
    const errors = watchErrors(page);
    await countUncaught(page);
    await page.addInitScript(() => {
      const w = window as unknown as { __longtasks: { start: number; duration: number }[] };
      w.__longtasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          w.__longtasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    // The shipped MNIST training images in `label,pixel0,…,pixel783` layout (~110 MB, not committed).
    const path = info.outputPath('mnist-60k.csv');
    const x = gunzipSync(readFileSync('public/datasets/mnist/train-x.u8.gz'));
    const y = readFileSync('public/datasets/mnist/train-y.u8');
    const out = createWriteStream(path);
    out.write(['label', ...Array.from({ length: 784 }, (_, j) => `pixel${j}`)].join(',') + '\n');
    for (let i = 0; i < y.length; i += 1000) {
      const rows: string[] = [];
      for (let k = i; k < Math.min(i + 1000, y.length); k++)
        rows.push(`${y[k]},${x.subarray(k * 784, (k + 1) * 784).join(',')}`);
      out.write(rows.join('\n') + '\n');
    }
    await new Promise((resolve) => out.end(resolve));
    await openExplorer(page);
    await settled(page); // the first screen's own rendering is not the import's
    // Timed inside the page, from the picker's change event to the preview's first paint, with no
    // Playwright polling in between (its injected scripts are main-thread tasks of their own).
    const loaded = page.evaluate(
      () =>
        new Promise<{ t0: number; t1: number; sawProgress: boolean }>((resolve) => {
          let t0 = 0;
          let sawProgress = false;
          document.addEventListener('change', () => (t0 = performance.now()), { capture: true });
          new MutationObserver((_, observer) => {
            if (document.querySelector('progress[aria-label="Reading dataset mnist-60k.csv"]'))
              sawProgress = true;
            if (document.querySelector('[aria-labelledby="dataset-import-title"]')) {
              observer.disconnect();
              requestAnimationFrame(() => resolve({ t0, t1: performance.now(), sawProgress }));
            }
          }).observe(document.body, { subtree: true, childList: true });
        }),
    );
    await page.getByLabel('Open files').setInputFiles(path);
    const { t0, t1, sawProgress } = await loaded;
    expect(sawProgress).toBe(true);
    const preview = page.getByRole('region', { name: 'Preview: mnist-60k.csv' });
    await expect(preview).toBeVisible();
    await expect(preview.locator('table.class-counts caption')).toContainText(
      '48,000 train / 12,000 test',
    );
    const tasks = (
      await page.evaluate(
        () =>
          (window as unknown as { __longtasks: { start: number; duration: number }[] }).__longtasks,
      )
    ).filter((t) => t.start >= t0 && t.start <= t1);
    const report = {
      what: 'main-thread long tasks (> 50 ms) while a 60,000-row MNIST CSV is read in the worker',
      bytes: readFileSync(path).length,
      loadMs: Math.round(t1 - t0),
      longTasks: tasks.length,
      maxMs: tasks.length ? Math.round(Math.max(...tasks.map((t) => t.duration))) : 0,
      tasks: tasks.map((t) => ({
        startMs: Math.round(t.start - t0),
        durationMs: Math.round(t.duration),
      })),
      date: new Date().toISOString(),
    };
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(`${ARTIFACTS}/import-longtasks.json`, JSON.stringify(report, null, 2) + '\n');
    console.log(JSON.stringify(report));
    // The built-in mnist models read it as it is.
    await preview.getByRole('button', { name: 'Use this dataset' }).click();
    const cosine = figure(
      page,
      /^Cosine similarity · mnist-aligned · user-mnist-60k test, N = 1,000 /,
    );
    await expect
      .poll(async () => (await heatmapFills(cosine)).length, { timeout: 180_000 })
      .toBeGreaterThan(1);
    expect(report.longTasks).toBe(0);
    expect(await uncaught(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
