// Files nobody wrote a message for: seeded random bytes under every extension Strata reads, real
// files cut short or damaged, and plausible-looking containers with garbage inside. Each must end
// in a message in the alert region that names the file (or, if it happens to parse, a preview that
// can be cancelled); the page keeps every chart it had and no error escapes.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropCases } from './dropFuzzCases';
import { openExplorer } from './explorerPage';
import { countUncaught, idle, pageState, settled, uncaught } from './importPage';
import { watchErrors } from './pageErrors';

/** The names a message about these files may use: each file's base name and its top folder. */
function namesOf(files: { path: string }[]): string[] {
  return files.flatMap((f) => [f.path.split('/').pop()!, f.path.split('/')[0]]);
}

/** Charts and heatmaps drawn on the page: the canvases and SVGs inside chart figures. */
const chartCount = (page: Page) => page.locator('figure canvas, figure svg').count();

test('files nobody wrote a message for are refused clearly; the page keeps its pictures', async ({
  page,
}, info) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  await countUncaught(page);
  // The first screen at its smallest N: the check is that the page keeps it, whatever N is.
  await openExplorer(page, 'backend=wasm&samples=16');
  await settled(page);
  const before = await pageState(page);
  expect(await chartCount(page)).toBeGreaterThan(4);
  const alerts = page.getByRole('alert').locator('p');
  const report: string[] = [];
  for (const c of dropCases()) {
    await test.step(c.name, async () => {
      const dir = info.outputPath(c.name.replace(/[^a-z0-9]+/gi, '-'));
      const paths = c.files.map((f) => {
        const path = join(dir, f.path);
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, f.bytes);
        return path;
      });
      await idle(page);
      const count = await alerts.count();
      const charts = await chartCount(page);
      await page.getByLabel('Open files').setInputFiles(paths);
      const cancel = page.getByRole('button', { name: 'Cancel' });
      await expect
        .poll(async () => (await alerts.count()) !== count || (await cancel.count()) > 0, {
          message: `${c.name}: no message and no preview`,
          timeout: 60_000,
        })
        .toBe(true);
      if ((await cancel.count()) > 0) {
        report.push(`${c.name}: parsed, previewed, cancelled`);
        await cancel.first().click();
      } else {
        const text = (await alerts.last().innerText()).trim();
        report.push(`${c.name}: ${text.slice(0, 160)}`);
        expect(text.length, c.name).toBeGreaterThan(20);
        const names = namesOf(c.files);
        expect(
          names.some((n) => text.includes(n)),
          `${c.name}: the message names none of ${names.join(', ')}`,
        ).toBe(true);
      }
      await idle(page);
      expect(await chartCount(page), `${c.name}: charts on the page`).toBeGreaterThanOrEqual(
        charts,
      );
      for (const b of await page
        .getByRole('alert')
        .getByRole('button', { name: /^Dismiss/ })
        .all())
        await b.click();
      expect(await uncaught(page), c.name).toEqual([]);
    });
  }
  console.log(report.join('\n'));
  expect(await pageState(page)).toEqual(before);
  expect(errors).toEqual([]);
});
