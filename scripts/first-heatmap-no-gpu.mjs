// Seconds from navigation to the first heatmap on a machine without a GPU (no WebGPU, WebGL on
// SwiftShader), with no backend forced: what the backend policy costs a first visit there.
// Usage: serve a build (npx vite preview --port P), then node scripts/first-heatmap-no-gpu.mjs URL
import { chromium } from '@playwright/test';

const url = process.argv[2];
if (!url) throw new Error('first-heatmap-no-gpu.mjs: expected the page URL as the first argument');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-features=WebGPU',
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
  ],
});
try {
  const page = await browser.newPage();
  const start = Date.now();
  await page.goto(url);
  await page.waitForFunction(
    () => document.querySelectorAll('figure.strata-chart .strata-cells rect').length > 1,
    null,
    { timeout: 300_000, polling: 200 },
  );
  const seconds = (Date.now() - start) / 1000;
  const backend = await page.getAttribute('[aria-label="Engine backend"]', 'data-backend');
  console.log(JSON.stringify({ url, backend, firstHeatmapSeconds: seconds }));
} finally {
  await browser.close();
}
