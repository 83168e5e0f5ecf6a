import { expect, test, type Page } from '@playwright/test';
import { figure, screenshot, setNumber } from './explorerPage';
import { watchErrors } from './pageErrors';

// The aligned fine-tune of the built-in standard LM, live in the page: the per-layer accuracy
// chart refreshes at its early evaluations, a pause shows no ETA, a stopped run is listed in the
// LM picker (and still after a reload), and opens there as the page's language model. A paused
// run is stored: after a reload the panel offers to resume it from its step.

const NAME = 'imdb-lm-standard → aligned, 40 steps, lr 1e-3';
const stepOf = (caption: string | null) => Number(/ · step (\d+) · /.exec(caption ?? '')?.[1]);

/** The step of the paused run stored in the page's `strata-lm` database, or null. */
const pausedStep = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number | null>((done) => {
        const open = indexedDB.open('strata-lm');
        open.onerror = () => done(null);
        open.onsuccess = () => {
          const db = open.result;
          try {
            const get = db.transaction('tuned').objectStore('tuned').get('paused-run');
            get.onsuccess = () => done(get.result?.snapshot?.step ?? null);
            get.onerror = () => done(null);
          } catch {
            done(null);
          } finally {
            db.close();
          }
        };
      }),
  );

test('an aligned LM fine-tune: chart refreshing, pause without ETA, stop, listed in the picker', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  // The image model's first screen at its smallest N: it shares the CPU with the fine-tune.
  await page.goto('/?backend=wasm&samples=16');
  await page
    .getByLabel('Language model', { exact: true })
    .selectOption({ label: 'imdb LM · standard' });
  const panel = page.locator('section', {
    has: page.getByRole('heading', { name: 'Aligned fine-tune' }),
  });
  await expect(panel).toBeVisible({ timeout: 60_000 });
  await setNumber(page, 'LM steps', 40);
  await setNumber(page, 'LM batch size', 4);
  await panel.getByRole('button', { name: 'Start' }).click();
  const status = panel.getByTestId('lm-tune-status');
  await expect(status).toContainText('Preparing');
  await expect(status).toContainText(NAME);

  const chart = figure(page, /^LM fine-tune: next-token accuracy per layer · /);
  const caption = chart.locator('figcaption');
  // The chart refreshes: a first evaluation after step 1, then a later one.
  await expect
    .poll(async () => stepOf(await caption.textContent()), { timeout: 90_000 })
    .toBeGreaterThanOrEqual(1);
  const first = stepOf(await caption.textContent());
  await expect
    .poll(async () => stepOf(await caption.textContent()), { timeout: 60_000 })
    .toBeGreaterThan(first);
  await expect(status).toContainText(/s left/);
  await screenshot(page, 'screens/1440x900-lm-finetune-running', panel);

  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toContainText('Paused at step');
  await expect(status).not.toContainText('left');
  await panel.getByRole('button', { name: 'Resume' }).click();
  await expect(status).toContainText('Running');

  // A paused run survives a reload: offered with no model open, resumed from the step it paused at.
  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toContainText('Paused at step');
  const shownAt = Number(/Paused at step (\d+)/.exec((await status.textContent()) ?? '')?.[1]);
  // The record is written once the pause's snapshot has come back from the engine.
  await expect.poll(() => pausedStep(page), { timeout: 90_000 }).toBeGreaterThanOrEqual(shownAt);
  const pausedAt = (await pausedStep(page))!;
  await page.reload();
  const resume = panel.getByRole('button', { name: `Resume LM fine-tune from step ${pausedAt}` });
  await expect(resume).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByTestId('lm-resume-prompt')).toContainText(NAME);
  await expect(resume).toBeEnabled({ timeout: 60_000 });
  await resume.click();
  await expect(panel.getByTestId('lm-resume-prompt')).toHaveCount(0);
  await expect(status).toContainText(NAME);
  await expect(status).toContainText('Running', { timeout: 90_000 });
  expect(stepOf(await caption.textContent())).toBeLessThanOrEqual(pausedAt);
  await expect
    .poll(async () => stepOf(await caption.textContent()), { timeout: 90_000 })
    .toBeGreaterThan(pausedAt);
  await panel.getByRole('button', { name: 'Stop' }).click();
  await expect(status).toContainText('Stopping after step');
  await expect(status).toContainText('Stopped at step', { timeout: 120_000 });
  const stopped = Number(/Stopped at step (\d+)/.exec((await status.textContent()) ?? '')?.[1]);
  // Stopped runs are measured on every held-out row: the chart's last point is the stop's.
  await expect(caption).toContainText(` · step ${stopped} · 64 held-out rows`);
  expect(await chart.textContent()).toContain('before');

  const listed = `${NAME} (stopped at ${stopped})`;
  const picker = page.getByLabel('Language model', { exact: true });
  await expect(picker.locator('option', { hasText: listed })).toHaveCount(1, { timeout: 30_000 });
  await page.setViewportSize({ width: 1024, height: 768 });
  await screenshot(page, 'screens/1024x768-lm-finetune', panel);
  await page.setViewportSize({ width: 1440, height: 900 });
  await screenshot(page, 'screens/1440x900-lm-finetune', panel);

  // Kept across a reload, and opened as the page's language model.
  await page.reload();
  await expect(picker.locator('option', { hasText: listed })).toHaveCount(1, { timeout: 30_000 });
  await picker.selectOption({ label: listed });
  await expect(page.getByRole('heading', { name: `Language model: ${listed}` })).toBeVisible({
    timeout: 60_000,
  });
  expect(errors).toEqual([]);
});
