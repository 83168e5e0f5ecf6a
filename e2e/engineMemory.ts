import { expect, type Page } from '@playwright/test';

/**
 * Waits until the page's engine holds the same tensors (count and bytes) over `readings`
 * readings `everyMs` apart: the page's own analyses have finished, so a memory measurement made
 * next sees only what the test itself does.
 */
export async function waitForSteadyEngine(
  page: Page,
  { readings = 6, everyMs = 400, timeout = 120_000 } = {},
): Promise<void> {
  const seen: string[] = [];
  await expect
    .poll(
      async () => {
        const m = await page.evaluate(() => window.strata!.engine.memory());
        seen.push(`${m.numTensors}/${m.numBytes}`);
        const last = seen.slice(-readings);
        return last.length === readings && last.every((r) => r === last[0]);
      },
      { timeout, intervals: [everyMs] },
    )
    .toBe(true);
}
