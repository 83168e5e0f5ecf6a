/**
 * Runs in the page before its own scripts (Playwright addInitScript): records on `window.__bench`
 * when the backend badge first names a backend and when the first heatmap cell appears
 * (performance.now(), ms since navigation start), and every main-thread long task (> 50 ms, Long
 * Tasks API). Plain JavaScript text, so that no transpiler
 * helper leaks into the page.
 */
export const PAGE_PROBE_SCRIPT = `
(() => {
  const state = { backendReadyMs: null, firstHeatmapMs: null, longTasks: [] };
  window.__bench = state;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const watch = new MutationObserver(() => {
    const now = performance.now();
    if (state.backendReadyMs === null && document.querySelector('[data-backend]:not([data-backend=""])')) {
      state.backendReadyMs = now;
    }
    if (state.firstHeatmapMs === null && document.querySelector('.strata-cells rect')) {
      state.firstHeatmapMs = now;
    }
    if (state.backendReadyMs !== null && state.firstHeatmapMs !== null) watch.disconnect();
  });
  document.addEventListener('DOMContentLoaded', () =>
    watch.observe(document.body, { childList: true, subtree: true, attributes: true }));
})();
`;

/** What PAGE_PROBE_SCRIPT leaves on window. */
export interface PageProbeState {
  backendReadyMs: number | null;
  firstHeatmapMs: number | null;
  longTasks: { start: number; duration: number }[];
}
