import { expect, test } from '@playwright/test';
import { figure, openExplorer, screenshot, trainingStep } from './explorerPage';
import { watchErrors } from './pageErrors';

const NAME = 'mnist-aligned → aligned, 200 steps, lr 1e-4';

/** The step a caption names ("… · step 5 · N = 256"), or null. */
const captionStep = (text: string | null) => {
  const m = / · step (\d+) · N = 256/.exec(text ?? '');
  return m ? Number(m[1]) : null;
};

test('a fine-tune with the defaults: Preparing…, early evaluations, pause without ETA, stop, its name', async ({
  page,
}) => {
  test.setTimeout(480_000);
  const errors = watchErrors(page);
  // Every text the status line shows, recorded in the page as it changes.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __statusTexts: string[] }).__statusTexts = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="train-status"]')?.textContent ?? '';
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await openExplorer(page);
  await expect(page.getByTestId('eval-schedule')).toHaveText(
    'Per-layer accuracy: steps 1, 5, 10, then every 20, on 256 fixed test samples (seed 0); step 200 on all 500.',
  );
  // As a user would: once the first screen's charts are all computed (the engine is free).
  await expect(page.locator('progress:not([aria-label="Training progress"])')).toHaveCount(0, {
    timeout: 300_000,
  });
  await page.getByRole('button', { name: 'Start fine-tuning' }).click();
  const status = page.getByTestId('train-status');
  await expect(status).toContainText('Preparing…');

  // The per-layer accuracy and the heatmaps of the run move before the first interval (step 20).
  const accuracy = figure(
    page,
    new RegExp(`^Per-layer test accuracy · ${NAME} · step \\d+ · N = 256`),
  );
  await expect(accuracy).toBeVisible({ timeout: 240_000 });
  const firstStep = captionStep(await accuracy.locator('figcaption').textContent());
  expect(firstStep).not.toBeNull();
  expect(firstStep!).toBeLessThan(20);
  const heatmap = figure(
    page,
    new RegExp(`^Fine-tuned ${NAME}: Cosine similarity · finetuned-\\d+ @ step \\d+ · `),
  );
  await expect(heatmap.locator('.strata-cells rect').first()).toBeVisible({ timeout: 240_000 });
  // The weights it shows are those of an evaluation's time, long before the run's end.
  const heatmapCaption = await heatmap.locator('figcaption').textContent();
  const heatmapStep = Number(/ @ step (\d+) · /.exec(heatmapCaption ?? '')?.[1]);
  expect(heatmapStep, heatmapCaption ?? '').toBeLessThan(20);

  const texts = await page.evaluate(
    () => (window as unknown as { __statusTexts: string[] }).__statusTexts,
  );
  const preparing = texts.filter((t) => t.startsWith('Preparing…'));
  expect(preparing).toContain('Preparing… compiling kernels and taking the first step');
  // Preparing comes first, then the steps: no "step 0" without a word.
  const run = texts.filter((t) => t !== 'Not started.');
  expect(run[0]).toMatch(/^Preparing…/);
  expect(texts.some((t) => /^running · step \d+ \/ 200/.test(t))).toBe(true);

  // Paused: the step holds and no ETA is shown.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toHaveText(/^paused · step \d+ \/ 200$/);
  const paused = await trainingStep(page);
  await screenshot(
    page,
    'fine-tune-live-paused',
    page.locator('section', { has: page.getByRole('heading', { name: 'Fine-tune' }) }),
  );

  // Stopped: the run keeps the step it reached, and is listed by its name.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(status).toHaveText(`stopped · step ${paused} / 200`);
  for (const picker of ['Model', 'Checkpoint B']) {
    await expect(
      page.getByLabel(picker, { exact: true }).locator('option', { hasText: NAME }),
    ).toHaveCount(1);
  }
  expect(errors).toEqual([]);
});
