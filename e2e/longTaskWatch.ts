import type { Page } from '@playwright/test';

/** A main-thread task over 50 ms (PerformanceObserver 'longtask'), in page time (ms). */
export interface LongTask {
  start: number;
  duration: number;
}

/** Records the page's long tasks from its first script on (set up before the page loads). */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: LongTask[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The page's clock now (ms), to mark where a phase begins. */
export const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/** The long tasks that began at or after `since` (page time). */
export async function longTasksSince(page: Page, since: number): Promise<LongTask[]> {
  const all = await page.evaluate(
    () => (window as unknown as { __longTasks: LongTask[] }).__longTasks,
  );
  return all.filter((t) => t.start >= since);
}
