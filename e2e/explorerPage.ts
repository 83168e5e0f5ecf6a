import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const ARTIFACTS = 'e2e/artifacts';

/** A chart figure whose caption matches `caption`. */
export function figure(page: Page, caption: RegExp): Locator {
  return page.locator('figure.strata-chart', {
    has: page.locator('figcaption', { hasText: caption }),
  });
}

/** The fills of a heatmap's cells in row-major order: the picture, as data. */
export async function heatmapFills(fig: Locator): Promise<string[]> {
  return fig
    .locator('.strata-cells rect')
    .evaluateAll((rects) => rects.map((r) => r.getAttribute('fill') ?? ''));
}

/** Records whether an element matching `selector` ever appeared (set up before the page loads). */
export async function watchForElement(page: Page, selector: string, flag: string): Promise<void> {
  await page.addInitScript(
    ({ selector, flag }) => {
      const w = window as unknown as Record<string, boolean>;
      w[flag] = false;
      new MutationObserver(() => {
        if (!w[flag] && document.querySelector(selector)) w[flag] = true;
      }).observe(document, { subtree: true, childList: true });
    },
    { selector, flag },
  );
}

/** Opens the page (`query`: URL options) and waits for the first screen's cosine and CKA heatmaps. */
export async function openExplorer(
  page: Page,
  query = 'backend=wasm',
  timeout = 120_000,
): Promise<void> {
  await page.goto(`/?${query}`);
  for (const caption of [/^Cosine similarity · mnist-aligned/, /^Linear CKA · mnist-aligned/]) {
    await expect
      .poll(async () => (await heatmapFills(figure(page, caption))).length, { timeout })
      .toBeGreaterThan(1);
  }
}

export async function screenshot(page: Page, name: string, target?: Locator): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  if (target) await target.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

/** Types a number into a labelled field and commits it (Enter), as a keyboard user would. */
export async function setNumber(page: Page, label: string, value: number): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(String(value));
  await input.press('Enter');
  await expect(input).toHaveValue(String(value));
}

/** The training progress bar's value. */
export async function trainingStep(page: Page): Promise<number> {
  return Number(
    await page.getByRole('progressbar', { name: 'Training progress' }).getAttribute('value'),
  );
}
