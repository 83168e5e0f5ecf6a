// Main-thread tasks over 50 ms (PerformanceObserver 'longtask') while one job runs: the page's
// engine work belongs in the worker, so these are what the page itself did (parsing, cloning
// results, rendering).
import type { MainThreadLongTasks } from '../../scripts/bench/browserSpecs';

/** Starts watching; the returned function stops and says what was seen. */
export function watchLongTasks(): () => Promise<MainThreadLongTasks> {
  const durations: number[] = [];
  const take = (entries: PerformanceEntryList) => {
    for (const e of entries) durations.push(e.duration);
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ type: 'longtask' });
  return async () => {
    // The task that delivered the job's result ends before its entry is queued.
    await new Promise((resolve) => setTimeout(resolve, 0));
    take(observer.takeRecords());
    observer.disconnect();
    return {
      count: durations.length,
      longestMs: durations.length ? Math.max(...durations) : 0,
      totalMs: durations.reduce((a, b) => a + b, 0),
    };
  };
}
