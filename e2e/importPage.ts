// What the dataset import spec does to the page: deliveries (picker, folder picker, synthetic
// drop), the malformed corpus with the message each file must raise, and the page state an
// import must leave alone.
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figure, heatmapFills } from './explorerPage';

const MALFORMED = 'e2e/fixtures/malformed';

/** Records window 'error' and 'unhandledrejection' events (set up before the page loads). */
export async function countUncaught(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __uncaught: string[] };
    w.__uncaught = [];
    window.addEventListener('error', (e) => {
      w.__uncaught.push(`error: ${e.message}`);
    });
    window.addEventListener('unhandledrejection', (e) =>
      w.__uncaught.push(`unhandledrejection: ${String(e.reason)}`),
    );
  });
}

export const uncaught = (page: Page) =>
  page.evaluate(() => (window as unknown as { __uncaught: string[] }).__uncaught);

/** Drops files on the page through a synthetic drop event carrying a DataTransfer. */
export async function dropFiles(
  page: Page,
  files: { name: string; bytes: Uint8Array }[],
): Promise<void> {
  await page.evaluate(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(f.bytes)], f.name));
      document.body.dispatchEvent(
        new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
      );
    },
    files.map((f) => ({ name: f.name, bytes: Array.from(f.bytes) })),
  );
}

const dropFixture = (page: Page, name: string) =>
  dropFiles(page, [{ name, bytes: readFileSync(join(MALFORMED, name)) }]);

/** What the page shows that an import must not change. */
export async function pageState(page: Page) {
  return {
    cosine: await heatmapFills(figure(page, /^Cosine similarity · /).first()),
    captions: await page.locator('figure figcaption').allInnerTexts(),
    dataset: await page.getByLabel('Dataset', { exact: true }).inputValue(),
    datasets: await page.getByLabel('Dataset', { exact: true }).locator('option').allInnerTexts(),
    model: await page.getByLabel('Model', { exact: true }).inputValue(),
  };
}

export async function idle(page: Page): Promise<void> {
  await expect(page.getByTestId('import-progress')).toHaveCount(0, { timeout: 60_000 });
}

/** Waits until every chart of the first screen has its result. */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator('figcaption', { hasText: '(computing…)' })).toHaveCount(0, {
    timeout: 180_000,
  });
  await expect(page.getByTestId('exit-readout')).toBeVisible({ timeout: 120_000 });
}

export type Delivery =
  | { via: 'files'; paths: string[] }
  | { via: 'folder'; dir: string }
  | { via: 'drop'; name: string };

export const MALFORMED_CASES: [string, Delivery, RegExp][] = [
  [
    'truncated IDX',
    { via: 'files', paths: ['idx-truncated/images-idx3-ubyte', 'idx-truncated/labels-idx1-ubyte'] },
    /images-idx3-ubyte: .*12/,
  ],
  [
    'IDX with a wrong magic number',
    { via: 'folder', dir: 'idx-wrong-magic' },
    /idx-wrong-magic\/images-idx3-ubyte: not an IDX file/,
  ],
  [
    'IDX images and labels of different counts',
    {
      via: 'files',
      paths: ['idx-count-mismatch/images-idx3-ubyte', 'idx-count-mismatch/labels-idx1-ubyte'],
    },
    /labels-idx1-ubyte: 2 labels, but images-idx3-ubyte holds 3 images/,
  ],
  [
    'bad UTF-8 in JSONL',
    { via: 'drop', name: 'bad-utf8.jsonl' },
    /line 2 of bad-utf8\.jsonl: not valid UTF-8/,
  ],
  [
    'bad UTF-8 in CSV',
    { via: 'files', paths: ['bad-utf8.csv'] },
    /row 3 of bad-utf8\.csv: not valid UTF-8/,
  ],
  [
    'NaN pixels',
    { via: 'drop', name: 'nan-pixels.csv' },
    /row 3 of nan-pixels\.csv: column 3 \(pixel1\): unexpected "N", expected an integer pixel value 0–255/,
  ],
  [
    'out-of-range pixels',
    { via: 'files', paths: ['out-of-range-pixels.csv'] },
    /row 3 of out-of-range-pixels\.csv: column 4 \(pixel2\): a pixel value above 255/,
  ],
  [
    'one class only',
    { via: 'files', paths: ['one-class.jsonl'] },
    /one-class\.jsonl: every row has the label "pos"; a classifier needs at least 2 classes/,
  ],
  [
    'a zip with a stray file',
    { via: 'drop', name: 'stray-files.zip' },
    /stray-files\.zip: shapes\/notes\.txt is not an image \(stray file\)/,
  ],
  [
    'a zip without class folders',
    { via: 'files', paths: ['no-class-folders.zip'] },
    /no-class-folders\.zip: a\.png is not inside a class folder/,
  ],
  [
    'an empty file',
    { via: 'files', paths: ['empty.csv'] },
    /empty\.csv: the file is empty \(0 bytes\)/,
  ],
  [
    'ragged CSV rows',
    { via: 'drop', name: 'ragged.csv' },
    /row 3 of ragged\.csv: 3 fields, expected 2/,
  ],
  [
    'Parquet without a label column',
    { via: 'files', paths: ['no-label.parquet'] },
    /no-label\.parquet: no label column; the columns are "text", "stars"/,
  ],
  [
    'a corrupt PNG in a class folder',
    { via: 'folder', dir: 'corrupt-png' },
    /corrupt-png\/square\/d\.png could not be decoded/,
  ],
  [
    'a safetensors file whose header lies (activations path)',
    { via: 'files', paths: ['lying-header.safetensors'] },
    /lying-header\.safetensors/,
  ],
  [
    'a file Strata does not read',
    { via: 'files', paths: ['make_parquet.py'] },
    /make_parquet\.py: not a dataset, model or activations file Strata can read\. Strata accepts/,
  ],
];

export async function deliver(page: Page, d: Delivery): Promise<void> {
  if (d.via === 'files')
    await page.getByLabel('Open files').setInputFiles(d.paths.map((p) => join(MALFORMED, p)));
  else if (d.via === 'folder')
    await page.getByLabel('Open a folder').setInputFiles(join(MALFORMED, d.dir));
  else await dropFixture(page, d.name);
}
