// The agreement of every measure with cosine: asked for with one button, it lists Spearman's ρ
// of CKA, Procrustes, SVCCA and mutual k-NN with cosine for the model and the A/B pair; the
// numbers shown are the engine's own, and they follow a dataset switch.
import { expect, test, type Page } from '@playwright/test';
import { openExplorer, screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';

const MEASURES = ['cka', 'procrustes', 'svcca', 'knn'];

/** The table's numbers as shown: row name → measure → ρ text. */
async function shown(page: Page): Promise<Record<string, Record<string, string>>> {
  return page
    .getByTestId('agreement-all')
    .evaluate((table) =>
      Object.fromEntries(
        Array.from(table.querySelectorAll('tbody tr'), (tr) => [
          tr.getAttribute('data-row') ?? '',
          Object.fromEntries(
            Array.from(tr.querySelectorAll('td[data-measure]'), (td) => [
              td.getAttribute('data-measure') ?? '',
              td.querySelector('strong')?.textContent ?? '',
            ]),
          ),
        ]),
      ),
    );
}

/**
 * The engine's ρ for each of `models`, asked directly with the settings of the page's own main
 * analysis (its samples, seed, pooling, head) and every measure.
 */
async function fromEngine(page: Page, models: string[]) {
  return page.evaluate(
    async ({ models, measures }) => {
      const main = window.strata!.testHooks!.mainAnalysis()!.request;
      const out: Record<string, Record<string, string>> = {};
      for (const modelId of models) {
        const r = await window.strata!.engine.analyze({
          ...main,
          modelId,
          metrics: ['cosine', ...measures] as typeof main.metrics,
          batchSize: 256,
          rbfT: 0.5,
        });
        out[modelId] = Object.fromEntries(
          measures.map((m) => [m, r.agreement[`cosine~${m}`]?.spearman?.toFixed(3) ?? '—']),
        );
      }
      return out;
    },
    { models, measures: MEASURES },
  );
}

/** Waits for the table of `dataset`'s checkpoints, current (not marked out of date). */
async function expectTableOf(page: Page, dataset: string): Promise<void> {
  const table = page.getByTestId('agreement-all');
  await expect(table.locator('tbody tr')).toHaveCount(3, { timeout: 180_000 });
  await expect(table.locator('tbody tr th')).toHaveText(
    [`${dataset}-aligned`, `A: ${dataset}-standard`, `B: ${dataset}-aligned`],
    { timeout: 180_000 },
  );
  await expect(page.locator('.agreement-all [data-stale="true"]')).toHaveCount(0, {
    timeout: 180_000,
  });
}

test('every measure’s agreement with cosine equals the engine’s and follows a dataset switch', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  await openExplorer(page, 'backend=wasm&test-hooks=1');
  await expect(page.getByTestId('agreement-all')).toHaveCount(0);
  await page.getByRole('button', { name: 'Agreement of every measure with cosine' }).click();
  await expectTableOf(page, 'mnist');
  const mnist = await shown(page);
  const engine = await fromEngine(page, ['mnist-aligned', 'mnist-standard']);
  expect(mnist['mnist-aligned']).toEqual(engine['mnist-aligned']);
  expect(mnist['A: mnist-standard']).toEqual(engine['mnist-standard']);
  expect(mnist['B: mnist-aligned']).toEqual(engine['mnist-aligned']);
  for (const m of MEASURES) expect(mnist['mnist-aligned'][m]).toMatch(/^-?\d\.\d{3}$/);
  await screenshot(page, 'agreement-all', page.locator('.agreement-all'));

  await page.getByLabel('Dataset', { exact: true }).selectOption('fashion-mnist');
  // Until the new numbers arrive, the old ones say they are out of date.
  await expect(page.locator('.agreement-all [data-stale="true"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.agreement-all .stale-note')).toContainText(
    /updating… for .*fashion-mnist.*\(out of date: computed for .*mnist/,
  );
  await expectTableOf(page, 'fashion-mnist');
  await expect
    .poll(() => page.evaluate(() => window.strata!.testHooks!.mainAnalysis()?.request.dataset), {
      timeout: 180_000,
    })
    .toBe('fashion-mnist');
  const fashion = await shown(page);
  const again = await fromEngine(page, ['fashion-mnist-aligned', 'fashion-mnist-standard']);
  expect(fashion['fashion-mnist-aligned']).toEqual(again['fashion-mnist-aligned']);
  expect(fashion['A: fashion-mnist-standard']).toEqual(again['fashion-mnist-standard']);
  expect(fashion['fashion-mnist-aligned']).not.toEqual(mnist['mnist-aligned']);
  expect(errors).toEqual([]);
});
