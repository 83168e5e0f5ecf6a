// A report, not an assertion: main-thread long tasks (> 50 ms, PerformanceObserver 'longtask')
// while the page fine-tunes for 30 steps on wasm, written to e2e/artifacts/longtasks.json.
import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ARTIFACTS, openExplorer, setNumber, trainingStep } from './explorerPage';
import { watchErrors } from './pageErrors';

interface Task {
  start: number;
  duration: number;
}

function stats(tasks: Task[]) {
  const durations = tasks.map((t) => t.duration);
  return {
    count: tasks.length,
    maxMs: durations.length ? Math.max(...durations) : 0,
    totalMs: durations.reduce((a, b) => a + b, 0),
    tasks: tasks.map((t) => ({ startMs: Math.round(t.start), durationMs: Math.round(t.duration) })),
  };
}

test('main-thread long tasks during a 30-step fine-tune (report)', async ({ page }) => {
  test.setTimeout(480_000);
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    const w = window as unknown as { __longtasks: Task[] };
    w.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await openExplorer(page);
  await expect(page.getByTestId('exit-readout')).toBeVisible({ timeout: 120_000 });
  await setNumber(page, 'Steps', 30);
  await setNumber(page, 'Evaluate every (steps)', 10);
  const t0 = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Start fine-tuning' }).click();
  // Waited for inside the page with a cheap check every 500 ms: Playwright's own polling
  // (role queries, the aria snapshots of expect) runs on the page's main thread and made long
  // tasks of 70–200 ms itself, which this report must not count.
  // The last evaluation's heatmaps refresh after the run: include them.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const id = setInterval(() => {
          const status = document.querySelector('[data-testid="train-status"]')?.textContent;
          const busy = document.querySelector(
            'progress[aria-label="Analysing the fine-tuned checkpoint"]',
          );
          if (status?.includes('done') && !busy) {
            clearInterval(id);
            resolve();
          }
        }, 500);
      }),
  );
  const t1 = await page.evaluate(() => performance.now());
  expect(await trainingStep(page)).toBe(30);
  const all = await page.evaluate(() => (window as unknown as { __longtasks: Task[] }).__longtasks);
  const during = all.filter((t) => t.start >= t0 && t.start <= t1);
  const before = all.filter((t) => t.start < t0);
  const report = {
    what: 'main-thread long tasks (PerformanceObserver longtask, > 50 ms) in headless Chromium, wasm backend',
    steps: 30,
    trainingWallMs: Math.round(t1 - t0),
    statusAtEnd: await page.getByTestId('train-status').innerText(),
    duringTraining: stats(during),
    beforeTraining: stats(before),
    userAgent: await page.evaluate(() => navigator.userAgent),
    date: new Date().toISOString(),
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(`${ARTIFACTS}/longtasks.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `long tasks during training: ${report.duringTraining.count}, max ${report.duringTraining.maxMs.toFixed(0)} ms over ${report.trainingWallMs} ms`,
  );
  expect(errors).toEqual([]);
});
