import { expect, test } from '@playwright/test';
import { openExplorer, screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';

// Pictures of the page for people to look at (e2e/artifacts/screens): the first screen and every
// panel, at a laptop's 1440×900 and a small window's 1024×768.
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
] as const;
const PANELS = [
  ['model-data', 'Model & data'],
  ['your-files', 'Your files'],
  ['similarity', 'Similarity'],
  ['accuracy', 'Per-layer accuracy'],
  ['early-exit', 'Early exit'],
  ['fine-tune', 'Fine-tune'],
] as const;

for (const viewport of VIEWPORTS) {
  const size = `${viewport.width}x${viewport.height}`;
  test(`screenshots of every panel at ${size}`, async ({ page }) => {
    test.setTimeout(300_000);
    const errors = watchErrors(page);
    await page.setViewportSize(viewport);
    await openExplorer(page, 'backend=wasm');
    // Let the panels that follow the heatmaps (accuracy, exits) draw too.
    await expect(page.locator('.task-progress progress')).toHaveCount(0, { timeout: 180_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `e2e/artifacts/screens/${size}-first-screen.png` });
    for (const [file, heading] of PANELS) {
      const panel = page.locator('section.panel', {
        has: page.getByRole('heading', { name: heading, exact: true, level: 2 }),
      });
      await screenshot(page, `screens/${size}-${file}`, panel);
    }
    await page.getByText('Diagnostics', { exact: true }).click();
    await expect(page.getByRole('table', { name: 'Engine check result' })).toBeVisible();
    await screenshot(page, `screens/${size}-diagnostics`, page.locator('details.diagnostics'));
    expect(errors).toEqual([]);
  });
}
