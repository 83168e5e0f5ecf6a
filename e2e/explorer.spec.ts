import { expect, test } from '@playwright/test';
import {
  figure,
  heatmapFills,
  openExplorer,
  screenshot,
  setNumber,
  trainingStep,
  watchForElement,
} from './explorerPage';
import { watchErrors } from './pageErrors';

test.describe('explorer on wasm', () => {
  test('the first heatmaps appear without a click, with a progress bar while they compute', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await watchForElement(page, 'progress[aria-label="Analysing the model"]', '__sawProgress');
    await openExplorer(page);
    expect(
      await page.evaluate(() => (window as unknown as { __sawProgress: boolean }).__sawProgress),
    ).toBe(true);
    const cosine = figure(
      page,
      /^Cosine similarity · mnist-aligned · mnist test, N = 1,000 · class-token pooling$/,
    );
    await expect(cosine).toBeVisible();
    await expect(figure(page, /^Linear CKA · mnist-aligned · mnist test, N = 1,000/)).toBeVisible();
    // Cosine of a layer with itself is 1 (the top colour of the diverging scale).
    const fills = await heatmapFills(cosine);
    const n = Math.sqrt(fills.length);
    expect(Number.isInteger(n)).toBe(true);
    expect(new Set(Array.from({ length: n }, (_, i) => fills[i * n + i])).size).toBe(1);
    await expect(page.getByTestId('agreement')).toContainText('Pearson r =');
    await expect(page.getByRole('img', { name: /first 32 test images/i })).toBeVisible();
    await screenshot(page, 'first-screen');
    expect(errors).toEqual([]);
  });

  test('switching the CKA variant and the pooling changes the picture', async ({ page }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    const ckaBefore = await heatmapFills(figure(page, /^Linear CKA · mnist-aligned/));
    await page.getByLabel('CKA variant', { exact: true }).selectOption('cka-debiased');
    const debiased = figure(page, /^Debiased CKA · mnist-aligned/);
    await expect(debiased).toBeVisible({ timeout: 120_000 });
    const ckaAfter = await heatmapFills(debiased);
    expect(ckaAfter).toHaveLength(ckaBefore.length);
    expect(ckaAfter).not.toEqual(ckaBefore);

    const cosineBefore = await heatmapFills(figure(page, /^Cosine similarity · mnist-aligned/));
    await page.getByLabel('Pooling', { exact: true }).selectOption('mean');
    const mean = figure(page, /^Cosine similarity · mnist-aligned .* mean pooling$/);
    await expect(mean).toBeVisible({ timeout: 120_000 });
    expect(await heatmapFills(mean)).not.toEqual(cosineBefore);
    await screenshot(
      page,
      'debiased-mean-pooling',
      page.locator('section', { has: page.getByRole('heading', { name: 'Similarity' }) }),
    );
    expect(errors).toEqual([]);
  });

  test('A/B shows both checkpoints, their difference, and aligned ahead in the middle layers', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    await expect(page.getByLabel('Checkpoint A', { exact: true })).toHaveValue('mnist-standard');
    await expect(page.getByLabel('Checkpoint B', { exact: true })).toHaveValue('mnist-aligned');
    const a = figure(page, /^A: Cosine similarity · mnist-standard/);
    const b = figure(page, /^B: Cosine similarity · mnist-aligned/);
    const diff = figure(page, /^Difference A − B of Cosine similarity/);
    for (const f of [a, b, diff])
      await expect(f.locator('.strata-cells rect').first()).toBeVisible({ timeout: 120_000 });
    expect(await heatmapFills(a)).not.toEqual(await heatmapFills(b));

    const table = page.getByTestId('accuracy-table');
    await expect(table.locator('thead th')).toHaveText([
      'layer',
      'A: mnist-standard',
      'B: mnist-aligned',
    ]);
    const acc = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => Number(td.dataset.value))),
      );
    const mid = acc.slice(1, Math.ceil(acc.length / 2)); // layers 1 .. L/2
    expect(mid.length).toBeGreaterThan(0);
    for (const [standard, aligned] of mid) expect(aligned).toBeGreaterThan(standard);
    await screenshot(page, 'ab-compare', page.locator('section[aria-labelledby="ab-title"]'));
    await expect(page.getByTestId('exit-readout')).toBeVisible({ timeout: 120_000 });
    await expect(page.locator('.task-progress progress')).toHaveCount(0, { timeout: 120_000 });
    await screenshot(page, 'overview');
    await screenshot(
      page,
      'per-layer-accuracy',
      page.locator('section', { has: page.getByRole('heading', { name: 'Per-layer accuracy' }) }),
    );
    expect(errors).toEqual([]);
  });

  test('the exit slider updates the readout at once', async ({ page }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    const readout = page.getByTestId('exit-readout');
    await expect(readout).toContainText('single classifier', { timeout: 120_000 });
    const before = await readout.locator('tbody').innerText();
    const slider = page.getByRole('slider', { name: /Threshold τ/ });
    await slider.focus();
    await page.keyboard.press('End'); // τ = 1: later exits
    await expect(readout.locator('caption')).toContainText('τ = 1');
    const after = await readout.locator('tbody').innerText();
    expect(after).not.toEqual(before);
    await expect(
      figure(page, /^Accuracy against mean exit layer, confidence rule/)
        .locator('.strata-current *')
        .first(),
    ).toBeAttached();
    await screenshot(
      page,
      'early-exit',
      page.locator('section', { has: page.getByRole('heading', { name: 'Early exit' }) }),
    );
    expect(errors).toEqual([]);
  });

  test('30 steps of aligned fine-tuning: progress, live curves, pause and resume', async ({
    page,
  }) => {
    test.setTimeout(480_000);
    const errors = watchErrors(page);
    await openExplorer(page);
    await expect(page.getByLabel('Loss', { exact: true })).toHaveValue('aligned');
    await setNumber(page, 'Steps', 30);
    await setNumber(page, 'Evaluate every (steps)', 10);
    await page.getByRole('button', { name: 'Start fine-tuning' }).click();

    await expect.poll(() => trainingStep(page), { timeout: 120_000 }).toBeGreaterThan(0);
    const loss = figure(page, /^Training loss · aligned fine-tune of mnist-aligned/);
    await expect(loss.locator('svg[role="img"]')).toHaveAttribute(
      'aria-label',
      /weighted loss \d+ points/,
    );

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('train-status')).toContainText('paused');
    const paused = await trainingStep(page);
    const pausedSince = Date.now();
    // The run's model as B while paused: its views name the step their weights are of.
    const ab = page.locator('section', {
      has: page.getByRole('heading', { name: 'A/B checkpoints' }),
    });
    await page.getByLabel('Checkpoint B', { exact: true }).selectOption('finetuned-1');
    // Named by the run, not its id.
    const run = 'mnist-aligned → aligned, 30 steps, lr 1e-4';
    const bAt = (step: number) => figure(page, new RegExp(`^B: .* · ${run} @ step ${step} · `));
    await expect(bAt(paused).locator('.strata-cells rect').first()).toBeVisible({
      timeout: 120_000,
    });
    // No step in at least 3 s of pause, most of them spent computing B rather than waiting.
    await page.waitForTimeout(Math.max(0, 3000 - (Date.now() - pausedSince)));
    expect(await trainingStep(page)).toBe(paused);
    await expect(ab.getByTestId('revision-notice')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled();
    await page.getByRole('button', { name: 'Resume' }).click();
    // Training on: B is still the paused step's, and says so instead of passing for current.
    await expect(ab.getByTestId('revision-notice')).toContainText(`${run} is training`);
    await expect(ab.getByTestId('revision-notice')).toContainText(`shown as of step ${paused}`);
    await expect.poll(() => trainingStep(page), { timeout: 120_000 }).toBeGreaterThan(paused);

    await expect(page.getByTestId('train-status')).toContainText('done', { timeout: 300_000 });
    expect(await trainingStep(page)).toBe(30);
    const label = await loss.locator('svg[role="img"]').getAttribute('aria-label');
    expect(Number(/weighted loss (\d+) points/.exec(label ?? '')?.[1])).toBe(30);
    await expect(
      figure(
        page,
        /^Per-layer test accuracy · mnist-aligned → aligned, 30 steps, lr 1e-4 · step 30/,
      ),
    ).toBeVisible();
    await expect(
      figure(
        page,
        /^Fine-tuned mnist-aligned → aligned, 30 steps, lr 1e-4: Cosine similarity · mnist-aligned → aligned, 30 steps, lr 1e-4 @ step \d+ · /,
      )
        .locator('.strata-cells rect')
        .first(),
    ).toBeVisible({ timeout: 120_000 });
    // At the end B is recomputed on the final weights, with nothing left to flag.
    await expect(bAt(30)).toBeVisible({ timeout: 120_000 });
    await expect(ab.getByTestId('revision-notice')).toHaveCount(0);
    // The fine-tuned model is a checkpoint A/B can pick, named by what it is.
    await expect(
      page
        .getByLabel('Checkpoint B', { exact: true })
        .locator('option', { hasText: 'mnist-aligned → aligned, 30 steps, lr 1e-4' }),
    ).toHaveCount(1);
    await screenshot(
      page,
      'fine-tune',
      page.locator('section', { has: page.getByRole('heading', { name: 'Fine-tune' }) }),
    );
    await screenshot(page, 'after-fine-tune');
    expect(errors).toEqual([]);
  });
});
