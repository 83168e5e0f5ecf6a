import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './e2e/chromium';

const port = Number(process.env.STRATA_E2E_PORT ?? 4173);
// A build folder other than dist/ (STRATA_E2E_DIST), so two checkouts' runs can share a machine.
const outDir = process.env.STRATA_E2E_DIST;

export default defineConfig({
  testDir: 'e2e',
  testMatch: /.*\.spec\.ts$/,
  // STRATA_E2E_OUTPUT: another results folder, for runs side by side.
  outputDir: process.env.STRATA_E2E_OUTPUT ?? 'e2e/artifacts/results',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  // Two cores: one page at a time keeps the engine's timings and the test honest.
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort${outDir ? ` --outDir ${outDir}` : ''}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
