import { expect, test, type Page } from '@playwright/test';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npzBomb } from '../scripts/hostile/npzBomb';
import { openExplorer } from './explorerPage';
import { pageState, settled } from './importPage';
import { watchErrors } from './pageErrors';

// Hostile and huge activation files in the page: a zip bomb is refused by name and limit before
// anything is inflated, and a long read can be cancelled; either way the page keeps what it had.

const alerts = (page: Page) => page.getByRole('alert');
// The first screen at its smallest N: the checks are that the page keeps it, whatever N is.
const QUERY = 'backend=wasm&samples=16';

async function openFile(page: Page, file: { name: string; buffer: Buffer } | string) {
  await page
    .getByLabel('Open files')
    .setInputFiles(
      typeof file === 'string' ? file : { ...file, mimeType: 'application/octet-stream' },
    );
}

/** A float32 [N, 256] .npy of about `mb` MB, streamed to a temp file (never held whole). */
function bigNpy(dir: string, mb: number): string {
  const rows = mb * 1024;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, 256), }`;
  const header = Buffer.alloc(128, 0x20);
  header.write('\x93NUMPY\x01\x00', 0, 'latin1');
  header.writeUInt16LE(118, 8);
  header.write(dict, 10, 'latin1');
  header[127] = 0x0a;
  const path = join(dir, 'big.npy');
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  const chunk = Buffer.alloc(1024 * 1024, 0x3f); // 1 MB of float32 values near 0.75
  for (let i = 0; i < mb; i++) writeSync(fd, chunk);
  closeSync(fd);
  return path;
}

/** Records the furthest any import progress bar got (0–1), from before the page loads. */
async function recordFurthestRead(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __furthestRead: number };
    w.__furthestRead = 0;
    new MutationObserver(() => {
      for (const p of document.querySelectorAll<HTMLProgressElement>(
        '[data-testid="import-progress"] progress[max]',
      ))
        w.__furthestRead = Math.max(w.__furthestRead, p.value / p.max);
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

const furthestRead = (page: Page) =>
  page.evaluate(() => (window as unknown as { __furthestRead: number }).__furthestRead);

test.describe('hostile and huge activation files', () => {
  test('a zip bomb is refused by name and limit; charts and choices stay', async ({ page }) => {
    const errors = watchErrors(page);
    await openExplorer(page, QUERY);
    await settled(page);
    const before = await pageState(page);
    await openFile(page, { name: 'bomb.npz', buffer: npzBomb() });
    await expect(alerts(page)).toContainText(
      'Activations not opened: bomb.npz: its 4 entries claim 4.00 GB (4294967808 bytes) uncompressed in total, over the limit of 1.00 GB (1073741824 bytes)',
    );
    await expect(page.getByTestId('import-progress')).toHaveCount(0);
    expect(await pageState(page)).toEqual(before);
    expect(errors).toEqual([]);
  });

  test('Cancel stops reading a large activation file: no error, charts kept', async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-big-'));
    try {
      const path = bigNpy(dir, 600);
      const errors = watchErrors(page);
      await recordFurthestRead(page);
      await openExplorer(page, QUERY);
      await settled(page);
      const before = await pageState(page);
      await openFile(page, path);
      // Keyboard, by its label: focus the button and press Enter once the read is under way.
      const cancel = page.getByRole('button', { name: 'Cancel reading big.npy' });
      await expect.poll(() => furthestRead(page)).toBeGreaterThan(0);
      await cancel.focus();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('import-progress')).toHaveCount(0, { timeout: 60_000 });
      await expect(alerts(page)).toContainText('Reading big.npy cancelled.');
      // The read stopped part-way: the progress never reached the end of the file.
      const furthest = await furthestRead(page);
      expect(furthest).toBeGreaterThan(0);
      expect(furthest).toBeLessThan(0.99);
      await expect(page.locator('.notice-error')).toHaveCount(0);
      await expect(page.getByRole('heading', { name: 'Similarity of big.npy' })).toHaveCount(0);
      expect(await pageState(page)).toEqual(before);
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
