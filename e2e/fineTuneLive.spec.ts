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
  // And when each appeared, with when Stop was clicked, to time the Stop.
  await page.addInitScript(() => {
    const seen: string[] = [];
    const log: { what: string; at: number }[] = [];
    Object.assign(window, { __statusTexts: seen, __stopLog: log });
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="train-status"]')?.textContent ?? '';
      if (text && seen[seen.length - 1] !== text) {
        seen.push(text);
        log.push({ what: text, at: performance.now() });
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
    document.addEventListener(
      'click',
      (e) => {
        const button = (e.target as Element).closest('button');
        if (button?.textContent?.trim() === 'Stop')
          log.push({ what: 'click Stop', at: performance.now() });
      },
      true,
    );
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
    new RegExp(`^Fine-tuned ${NAME}: Cosine similarity · ${NAME} @ step \\d+ · `),
  );
  await expect(heatmap.locator('.strata-cells rect').first()).toBeVisible({ timeout: 240_000 });
  // The weights it shows are those of an evaluation's time, long before the run's end.
  const heatmapCaption = await heatmap.locator('figcaption').textContent();
  const heatmapStep = Number(/ @ step (\d+) · /.exec(heatmapCaption ?? '')?.[1]);
  expect(heatmapStep, heatmapCaption ?? '').toBeLessThan(20);
  // The run's heatmaps are analysed on the page's samples, not the evaluations' 256, and say so.
  const pageCaption = await figure(page, /^Cosine similarity · mnist-aligned · /)
    .locator('figcaption')
    .textContent();
  const pageN = / N = ([\d,]+) · /.exec(pageCaption ?? '')?.[1];
  expect(pageN, pageCaption ?? '').toBeDefined();
  expect(heatmapCaption).toContain(`mnist test, N = ${pageN} · `);

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

  // Stopped while running (the defaults, wasm): timed from the click to the panel saying stopped.
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(status).toHaveText(/^running · step \d+ \/ 200/);
  await expect.poll(() => trainingStep(page), { timeout: 60_000 }).toBeGreaterThan(paused + 1);
  const before = await trainingStep(page);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(status).toHaveText(/^stopped · step \d+ \/ 200$/, { timeout: 60_000 });
  const stoppedAt = await trainingStep(page);
  expect(stoppedAt).toBeGreaterThanOrEqual(before);
  await expect(status).toHaveText(`stopped · step ${stoppedAt} / 200`);
  const log = await page.evaluate(
    () => (window as unknown as { __stopLog: { what: string; at: number }[] }).__stopLog,
  );
  const click = log.findIndex((e) => e.what === 'click Stop');
  const stopped = log.findIndex((e, i) => i > click && e.what.startsWith('stopped'));
  // In order: running, the click, then stopped (and nothing running after the click).
  expect(click).toBeGreaterThan(0);
  expect(log[click - 1].what).toMatch(/^running/);
  expect(stopped).toBeGreaterThan(click);
  expect(log.slice(click + 1, stopped).filter((e) => e.what.startsWith('running'))).toEqual([]);
  console.log(
    `Stop → stopped: ${Math.round(log[stopped].at - log[click].at)} ms (step ${before} → ${stoppedAt})`,
  );
  // No caption, legend, tooltip or label on the page names the run by its id.
  const pageText = await page.locator('body').evaluate((b) => b.textContent ?? '');
  expect(pageText).not.toContain('finetuned-');
  for (const picker of ['Model', 'Checkpoint B']) {
    await expect(
      page.getByLabel(picker, { exact: true }).locator('option', { hasText: NAME }),
    ).toHaveCount(1);
  }
  expect(errors).toEqual([]);
});
