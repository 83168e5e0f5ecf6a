// Switching the dataset (Fashion-MNIST → IMDB): on every frame of the switch, each chart either
// names only the current dataset or is marked out of date (state/currency.ts), and an export of
// a chart out of date is refused.
import { expect, test, type Page } from '@playwright/test';
import { screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';

const N = 200;

interface Recording {
  frames: number;
  mutations: number;
  /** Frames in which some chart was marked out of date (the switch was seen). */
  staleFrames: number;
  /** Captions that named the old dataset on a chart not marked out of date. */
  violations: string[];
}

/** What the page shows now: every caption, with whether its chart is marked out of date. */
async function captions(page: Page): Promise<{ text: string; stale: boolean }[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('figcaption, caption'), (c) => ({
      text: c.textContent ?? '',
      stale: c.closest('[data-stale="true"]') !== null,
    })),
  );
}

/**
 * Checks every caption on each animation frame and after each DOM change, from the next change
 * event (the switch) until stopped.
 */
async function startRecording(page: Page, old: RegExp): Promise<void> {
  await page.evaluate((source) => {
    const pattern = new RegExp(source, 'i');
    const rec = { frames: 0, mutations: 0, staleFrames: 0, violations: [] as string[] };
    // Armed by the dataset's change event (capture: before the page handles it), so the old
    // dataset's captions count from the moment the user left it.
    let armed = false;
    window.addEventListener('change', () => (armed = true), { capture: true, once: true });
    const check = () => {
      if (!armed) return false;
      let stale = false;
      for (const c of document.querySelectorAll('figcaption, caption')) {
        const marked = c.closest('[data-stale="true"]') !== null;
        stale ||= marked;
        const text = c.textContent ?? '';
        if (!marked && pattern.test(text) && !rec.violations.includes(text))
          rec.violations.push(text);
      }
      return stale;
    };
    const w = window as unknown as { staleRecording: typeof rec; stopStaleRecording(): void };
    let running = true;
    const frame = () => {
      if (!running) return;
      rec.frames += 1;
      if (check()) rec.staleFrames += 1;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const observer = new MutationObserver(() => {
      rec.mutations += 1;
      check();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    w.staleRecording = rec;
    w.stopStaleRecording = () => {
      running = false;
      observer.disconnect();
    };
  }, old.source);
}

async function stopRecording(page: Page): Promise<Recording> {
  return page.evaluate(() => {
    const w = window as unknown as { staleRecording: Recording; stopStaleRecording(): void };
    w.stopStaleRecording();
    return w.staleRecording;
  });
}

/** Waits until the page shows `dataset`'s charts, all current: A/B, difference, class means, exits. */
async function expectSettled(page: Page, dataset: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const all = await captions(page);
        const named = (p: RegExp) => all.some((c) => p.test(c.text) && !c.stale);
        return {
          stale: all.filter((c) => c.stale).length,
          cosine: named(new RegExp(`^Cosine similarity · ${dataset}-aligned · ${dataset} test`)),
          a: named(new RegExp(`^A: Cosine similarity · ${dataset}-standard`)),
          b: named(new RegExp(`^B: Cosine similarity · ${dataset}-aligned`)),
          difference: named(new RegExp(`^Difference A − B .* ${dataset} test`)),
          classMeans: named(new RegExp(`^A: ${dataset}-standard: class means .* ${dataset} test`)),
          exits: named(new RegExp(`^Accuracy against mean exit layer.* ${dataset} test`)),
        };
      },
      { timeout: 240_000, intervals: [500] },
    )
    .toEqual({
      stale: 0,
      cosine: true,
      a: true,
      b: true,
      difference: true,
      classMeans: true,
      exits: true,
    });
}

test('a dataset switch never shows the old dataset’s charts as current, nor exports them', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  await page.goto(
    `/?backend=wasm#v=1&dataset=fashion-mnist&model=fashion-mnist-aligned&samples=${N}`,
  );
  await expectSettled(page, 'fashion-mnist');

  await startRecording(page, /fashion/);
  await page.getByLabel('Dataset', { exact: true }).selectOption('imdb');

  // During the switch: a chart out of date says what it is updating for, refuses its export, and
  // the report waits.
  const staleHost = page.locator('.chart-host[data-stale="true"]').first();
  await expect(staleHost).toBeVisible({ timeout: 10_000 });
  await expect(staleHost.locator('figcaption')).toContainText(
    /— updating… for .*imdb.* \(out of date: computed for .*fashion-mnist.*\)$/,
  );
  await staleHost.locator('details.export-menu summary').click();
  for (const format of ['SVG', 'PNG', 'CSV', 'JSON'])
    await expect(staleHost.getByRole('button', { name: format, exact: true })).toBeDisabled();
  await expect(staleHost.getByTestId('export-refused')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export report' })).toBeDisabled();
  await screenshot(page, 'stale-charts-switch');

  await expectSettled(page, 'imdb');
  const rec = await stopRecording(page);
  expect(rec.violations).toEqual([]);
  expect(rec.staleFrames).toBeGreaterThan(0);
  expect(rec.frames).toBeGreaterThan(rec.staleFrames);

  // Settled: the class means read IMDB's classes, and exports are open again.
  const classMeans = page.locator('figure.class-means svg[role="img"]').first();
  await expect(classMeans).toHaveAttribute('aria-label', /negative at .*positive at/);
  await expect(page.getByRole('button', { name: 'Export report' })).toBeEnabled();
  await expect(staleHost).toHaveCount(0);
  expect(errors).toEqual([]);
});
