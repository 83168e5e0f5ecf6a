import { expect, test } from '@playwright/test';
import { figure, heatmapFills, openExplorer, screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';

test.describe('A/B across two checkpoints', () => {
  test('the across heatmap shows A against B, matching depths marked, and follows SVCCA', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openExplorer(page);
    const across = figure(
      page,
      /^Across A and B: Cosine similarity, rows A's layers, columns B's; dashed: matching depths · mnist-standard vs mnist-aligned/,
    );
    await expect(across.locator('.strata-cells rect').first()).toBeVisible({ timeout: 120_000 });
    const cells = (await heatmapFills(across)).length;
    const depth = Math.sqrt(cells);
    expect(Number.isInteger(depth)).toBe(true);
    await expect(across.locator('.strata-diagonal rect')).toHaveCount(depth);
    await expect(across.locator('.strata-row-labels text').first()).toHaveText(/^A /);

    await page.getByLabel('Compare by', { exact: true }).selectOption('cka');
    await page.getByLabel('CKA variant', { exact: true }).selectOption('svcca');
    const svcca = figure(page, /^Across A and B: SVCCA, rows A's layers, columns B's/);
    await expect(svcca.locator('.strata-cells rect').first()).toBeVisible({ timeout: 120_000 });
    expect(await heatmapFills(svcca)).toHaveLength(cells);
    await expect(figure(page, /^A: SVCCA · mnist-standard/)).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('across-agreement')).toContainText('Cosine vs SVCCA over');
    await expect(page.getByTestId('agreement')).toContainText('Cosine vs SVCCA over');
    await screenshot(page, 'across-svcca', svcca);
    expect(errors).toEqual([]);
  });
});
