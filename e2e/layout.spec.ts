import { expect, test, type Page } from '@playwright/test';
import { figure, openExplorer } from './explorerPage';
import { watchErrors } from './pageErrors';

const FOCUSABLE =
  'button, select, input, textarea, summary, a[href], [tabindex]:not([tabindex="-1"])';

/** Whether the page scrolls sideways. */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
}

test('at 1024×768 the first screen shows the first heatmap, without sideways scrolling', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  await openExplorer(page, 'backend=wasm');
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await figure(page, /^Cosine similarity · mnist-aligned/).boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(1024);
  expect(box!.y + box!.height).toBeLessThanOrEqual(768);
  expect(await scrollsSideways(page)).toBe(false);
  expect(errors).toEqual([]);
});

test('at 1024×768 Tab reaches every control on the page, and each has a name', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  await openExplorer(page, 'backend=wasm');
  await expect(page.locator('.task-progress progress')).toHaveCount(0, { timeout: 180_000 });
  // Number every enabled control a person can see (or a keyboard can reach, like a file input).
  const controls = await page.evaluate((selector) => {
    const found: { id: number; name: string }[] = [];
    document.querySelectorAll<HTMLElement>(selector).forEach((el, id) => {
      const disabled = (el as HTMLInputElement).disabled === true;
      const hidden = !el.checkVisibility() && !el.classList.contains('visually-hidden');
      if (disabled || hidden || el.closest('[inert]')) return;
      if (el.classList.contains('visually-hidden') && el.tabIndex < 0) return;
      el.dataset.tabProbe = String(id);
      const labels = (el as HTMLInputElement).labels;
      const name =
        el.getAttribute('aria-label') ??
        (el.getAttribute('aria-labelledby')
          ? document.getElementById(el.getAttribute('aria-labelledby')!)?.textContent
          : null) ??
        (labels && labels.length > 0 ? labels[0].textContent : null) ??
        (el.matches('button, summary, a') ? el.textContent : null) ??
        el.getAttribute('title') ??
        '';
      found.push({ id, name: name.trim() });
    });
    return found;
  }, FOCUSABLE);
  expect(controls.length).toBeGreaterThan(10);
  expect(controls.filter((c) => c.name === '')).toEqual([]);
  const reached = new Set<string>();
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  for (let i = 0; i < controls.length * 2 + 10; i++) {
    await page.keyboard.press('Tab');
    const probe = await page.evaluate(
      () => (document.activeElement as HTMLElement)?.dataset?.tabProbe,
    );
    if (probe !== undefined) reached.add(probe);
    if (reached.size === controls.length) break;
  }
  expect(controls.filter((c) => !reached.has(String(c.id)))).toEqual([]);
  expect(await scrollsSideways(page)).toBe(false);
  expect(errors).toEqual([]);
});

test('a narrow window (720 px) does not scroll sideways', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 720, height: 900 });
  await openExplorer(page, 'backend=wasm');
  expect(await scrollsSideways(page)).toBe(false);
  expect(errors).toEqual([]);
});
