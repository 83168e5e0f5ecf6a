import { expect, test } from '@playwright/test';
import { figure, openExplorer, screenshot, setNumber } from './explorerPage';
import { watchErrors } from './pageErrors';

test.describe('charts read at a glance', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('an undefined CKA cell says why; the page explains in place, never points at files', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    // The built-in ViT pools its class token, the same for every sample before the first block.
    const cka = figure(page, /^Linear CKA · mnist-aligned/);
    await expect(cka.locator('figcaption')).toContainText(
      'hatched cells are undefined: embeddings: constant',
    );
    await cka.locator('svg[role="img"]').focus(); // the readout starts at embeddings × embeddings
    const tooltip = cka.locator('.strata-tooltip');
    const said = () => tooltip.innerText().then((t) => t.replace(/\s+/g, ' '));
    await expect.poll(said).toContain('embeddings × embeddings Linear CKA: undefined');
    expect(await said()).toContain('its centred Gram matrix is zero and CKA is 0/0');
    await screenshot(page, 'undefined-cka-cell', cka);

    const text = await page.locator('body').innerText();
    const titles = await page
      .locator('[title], [aria-label]')
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('title') ?? ''} ${e.getAttribute('aria-label') ?? ''}`),
      );
    for (const s of [text, ...titles]) expect(s).not.toMatch(/DESIGN\.md|README|§/);
    expect(errors).toEqual([]);
  });

  test('the minibatch size and the RBF bandwidth are controls that reach the engine', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    const variant = page.getByLabel('CKA variant', { exact: true });
    await expect(page.getByLabel('Minibatch CKA batch size')).toHaveCount(0);
    await variant.selectOption('cka-minibatch');
    await setNumber(page, 'Minibatch CKA batch size', 64);
    // The caption states what the engine's result was computed with.
    await expect(
      figure(page, /^Minibatch CKA · mnist-aligned .* minibatches of 64 rows/),
    ).toBeVisible({
      timeout: 120_000,
    });
    await variant.focus();
    await variant.selectOption('cka-rbf');
    await setNumber(page, 'RBF bandwidth t (σ = t × median distance)', 1);
    await expect(figure(page, /^RBF CKA · mnist-aligned .* σ = 1 × median distance/)).toBeVisible({
      timeout: 120_000,
    });
    // "Compare by" CKA reaches every A/B chart, the last-layer line included.
    await page.getByLabel('Compare by', { exact: true }).selectOption('cka');
    await expect(figure(page, /^Each layer’s RBF CKA with the last layer/)).toBeVisible({
      timeout: 120_000,
    });
    await expect(
      figure(page, /^Difference A − B of RBF CKA, colour range ±1 \(fixed\)/),
    ).toBeVisible();
    await page.getByLabel('Difference colours', { exact: true }).selectOption('fitted');
    await expect(
      figure(page, /^Difference A − B of RBF CKA, colour range ±[\d.]+ \(fitted/),
    ).toBeVisible();
    expect(errors).toEqual([]);
  });

  // One page, resized: the layout follows the window, so a reload per size would only repeat the
  // first screen's analyses.
  test('nothing is cut at 1024×768 nor at 1440×900: diagnostics, class names, exit axis', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    await page.getByText('Diagnostics', { exact: true }).click();
    const table = page.getByRole('table', { name: 'Engine check result' });
    await expect(table).toBeVisible({ timeout: 60_000 });
    for (const viewport of [
      { width: 1024, height: 768 },
      { width: 1440, height: 900 },
    ]) {
      await page.setViewportSize(viewport);
      // Nothing of the table is cut: it fits its panel, or (a narrow side column) the panel
      // scrolls sideways to every cell.
      const cut = await page.evaluate(() => {
        const panel = document.querySelector('details.diagnostics')!;
        const table = panel.querySelector('table.matrix')!;
        const over = table.getBoundingClientRect().right - panel.getBoundingClientRect().right;
        const scrolls = ['auto', 'scroll'].includes(getComputedStyle(panel).overflowX);
        return over > 0 && !scrolls ? over : 0;
      });
      expect(cut, `${viewport.width}×${viewport.height}`).toBe(0);
      const legend = page.locator('.class-means-legend').first();
      await expect(legend.locator('li')).toHaveCount(10, { timeout: 120_000 });
      const exit = figure(page, /^Accuracy against mean exit layer/);
      await expect(exit.locator('figcaption')).toContainText(/accuracy axis \d+–100 %/, {
        timeout: 120_000,
      });
      await screenshot(page, `charts-${viewport.width}`);
    }
    expect(errors).toEqual([]);
  });
});
