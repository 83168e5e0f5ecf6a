import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { openExplorer, screenshot, setNumber, trainingStep } from './explorerPage';
import { watchErrors } from './pageErrors';

/** The newest step the page says it saved in browser storage (0 before the first save). */
async function savedStep(page: Page): Promise<number> {
  return Number((await page.getByTestId('save-status').getAttribute('data-saved-step')) || 0);
}

async function configureRun(page: Page, steps: number): Promise<void> {
  await setNumber(page, 'Steps', steps);
  await setNumber(page, 'Batch size', 8);
  await setNumber(page, 'Evaluate every (steps)', 40);
}

// The first screen's analyses at their smallest N: what is checked here is storage, not them.
const QUERY = 'backend=wasm&samples=16';

const fineTunedOption = (page: Page, id: string) =>
  page.getByLabel('Checkpoint B', { exact: true }).locator(`option[value="${id}"]`);

test.describe('nothing lost: saved fine-tunes, resume after reload, session files', () => {
  test('a fine-tune survives a reload: resume from the saved step, finish, then A/B lists it', async ({
    page,
  }) => {
    test.setTimeout(600_000);
    const errors = watchErrors(page);
    await openExplorer(page, QUERY);
    await configureRun(page, 80);
    await page.getByRole('button', { name: 'Start fine-tuning' }).click();
    // The first snapshot (step 25) reaches IndexedDB; reload mid-run.
    await expect.poll(() => savedStep(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(25);
    expect(await trainingStep(page)).toBeLessThan(80);
    await page.reload();

    const prompt = page.getByRole('group', { name: 'Unfinished fine-tune found' });
    await expect(prompt).toBeVisible({ timeout: 120_000 });
    const resume = prompt.getByRole('button', { name: /^Resume fine-tune from step \d+$/ });
    const from = Number((await resume.textContent())!.match(/\d+$/)![0]);
    expect(from).toBeGreaterThanOrEqual(25);
    expect(from % 25).toBe(0);
    await expect(prompt.getByRole('button', { name: 'Discard' })).toBeVisible();
    await screenshot(page, 'resume-prompt', prompt);

    // Keyboard: focus the button and press Enter.
    await resume.focus();
    await page.keyboard.press('Enter');
    await expect(prompt).toBeHidden();
    // The progress starts at the saved step, not at 0, and moves on from there.
    await expect(page.getByTestId('train-status')).toContainText(`step ${from} / 80`);
    expect(await trainingStep(page)).toBeGreaterThanOrEqual(from);
    await expect.poll(() => trainingStep(page), { timeout: 300_000 }).toBeGreaterThan(from);
    await expect(page.getByTestId('train-status')).toContainText('done', { timeout: 400_000 });
    expect(await trainingStep(page)).toBe(80);
    await expect.poll(() => savedStep(page)).toBe(80);
    await screenshot(page, 'resumed-fine-tune');

    // Another reload: the finished fine-tune is back in the A/B picker, with no resume offer.
    await page.reload();
    await openExplorer(page, page.url().split('?')[1]);
    await expect(fineTunedOption(page, 'finetuned-1')).toHaveCount(1, { timeout: 60_000 });
    await expect(page.getByRole('group', { name: 'Unfinished fine-tune found' })).toHaveCount(0);

    // A link naming the saved fine-tune opens it, though it is listed only after storage is read.
    await page.goto('about:blank');
    await page.goto(`/?${QUERY}#v=1&compare.b=finetuned-1`);
    await expect(page.getByLabel('Checkpoint B', { exact: true })).toHaveValue('finetuned-1', {
      timeout: 120_000,
    });
    expect(errors).toEqual([]);
  });

  test('a session export downloads and imports in a new browser context', async ({ browser }) => {
    test.setTimeout(480_000);
    const first = await browser.newContext();
    const page = await first.newPage();
    const errors = watchErrors(page);
    await openExplorer(page, QUERY);
    await configureRun(page, 10);
    await page.getByRole('button', { name: 'Start fine-tuning' }).click();
    await expect(page.getByTestId('train-status')).toContainText('done', { timeout: 300_000 });
    await expect.poll(() => savedStep(page)).toBe(10);

    const session = page.getByRole('group', { name: 'Session' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      session.getByRole('button', { name: 'Export session' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^strata-session-\d{4}-\d{2}-\d{2}\.strata\.zip$/);
    mkdirSync('/tmp/P', { recursive: true });
    const file = `/tmp/P/${download.suggestedFilename()}`;
    await download.saveAs(file);
    await first.close();

    // Another machine, as far as storage goes: a fresh context has an empty IndexedDB.
    const second = await browser.newContext();
    const other = await second.newPage();
    const otherErrors = watchErrors(other);
    await openExplorer(other, QUERY);
    await expect(fineTunedOption(other, 'finetuned-1')).toHaveCount(0);
    await other.getByLabel('Session file to import').setInputFiles(file);
    await expect(other.getByRole('alert')).toContainText(
      /Imported session strata-session-.*\.strata\.zip: 1 checkpoint \([^()]+ → [^()]+\)\./,
      { timeout: 60_000 },
    );
    await expect(fineTunedOption(other, 'finetuned-1')).toHaveCount(1);
    await expect(other.getByTestId('save-status')).toContainText('1 fine-tune saved');

    // A damaged file is refused by name, and changes nothing.
    await other.getByLabel('Session file to import').setInputFiles({
      name: 'broken.strata.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from('not a zip'),
    });
    await expect(other.getByRole('alert')).toContainText(
      'Could not import broken.strata.zip: broken.strata.zip: not a zip archive',
    );
    await expect(fineTunedOption(other, 'finetuned-1')).toHaveCount(1);
    await screenshot(other, 'session-imported', other.locator('header'));
    await second.close();
    expect([...errors, ...otherErrors]).toEqual([]);
  });
});
