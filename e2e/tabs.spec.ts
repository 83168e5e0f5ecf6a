import { expect, test, type Page } from '@playwright/test';
import { openExplorer, setNumber, trainingStep } from './explorerPage';
import { watchErrors } from './pageErrors';

/** The id and step of the newest snapshot this page saved ('' and 0 before the first). */
async function saved(page: Page): Promise<{ id: string; step: number }> {
  const status = page.getByTestId('save-status');
  return {
    id: (await status.getAttribute('data-saved-id')) ?? '',
    step: Number((await status.getAttribute('data-saved-step')) || 0),
  };
}

const fineTunedOption = (page: Page, id: string) =>
  page.getByLabel('Checkpoint B', { exact: true }).locator(`option[value="${id}"]`);

// Long enough that neither tab can finish before it is paused (a finished run is not resumable).
const STEPS = 200;

test('two tabs fine-tune at once: each run is saved apart and resumes in its own tab', async ({
  context,
}) => {
  test.setTimeout(900_000);
  // Two tabs of one browser: one IndexedDB, one set of Web Locks.
  const pages = [await context.newPage(), await context.newPage()];
  const errors = pages.map((p) => watchErrors(p));
  for (const page of pages) {
    // The first screen's analyses at their smallest N: the two tabs' runs are what is checked.
    await openExplorer(page, 'backend=wasm&samples=16');
    await setNumber(page, 'Steps', STEPS);
    await setNumber(page, 'Batch size', 8);
    await setNumber(page, 'Evaluate every (steps)', 100);
  }
  await Promise.all(pages.map((p) => p.getByRole('button', { name: 'Start fine-tuning' }).click()));
  // Both train at once; each pauses after a step or two, which saves a snapshot.
  for (const page of pages)
    await expect.poll(() => trainingStep(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(1);
  await Promise.all(pages.map((p) => p.getByRole('button', { name: 'Pause' }).click()));
  for (const page of pages)
    await expect
      .poll(async () => (await saved(page)).step, { timeout: 120_000 })
      .toBeGreaterThan(0);
  const ids = await Promise.all(pages.map(async (p) => (await saved(p)).id));
  expect(new Set(ids).size, `runs of the two tabs: ${ids.join(', ')}`).toBe(2);

  // Both reload at once: each is offered its own run, and only that one.
  await Promise.all(pages.map((p) => p.reload()));
  for (const [i, page] of pages.entries()) {
    const prompt = page.getByRole('group', { name: 'Unfinished fine-tune found' });
    await expect(prompt).toHaveAttribute('data-run-id', ids[i], { timeout: 120_000 });
  }
  for (const page of pages) {
    const prompt = page.getByRole('group', { name: 'Unfinished fine-tune found' });
    await prompt.getByRole('button', { name: /^Resume fine-tune from step \d+$/ }).click();
  }
  for (const [i, page] of pages.entries()) {
    await expect(page.getByTestId('train-status')).toContainText('done', { timeout: 400_000 });
    await expect.poll(() => saved(page)).toEqual({ id: ids[i], step: STEPS });
  }
  // A tab that stays open hears of the other tab's finished run.
  for (const [i, page] of pages.entries())
    await expect(fineTunedOption(page, ids[1 - i])).toHaveCount(1, { timeout: 60_000 });

  // After another reload both finished runs are listed, and each opens as B.
  await pages[1].close();
  const page = pages[0];
  await page.reload();
  for (const id of ids) await expect(fineTunedOption(page, id)).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByRole('group', { name: 'Unfinished fine-tune found' })).toHaveCount(0);
  for (const id of ids) {
    await page.getByLabel('Checkpoint B', { exact: true }).selectOption(id);
    await expect(page.getByLabel('Checkpoint B', { exact: true })).toHaveValue(id);
  }
  const alerts = await page.locator('[role="alert"]').allTextContents();
  expect(alerts.join(' ')).not.toMatch(/missing or damaged|Could not/);
  expect(errors.flat()).toEqual([]);
});
