import { expect, test } from '@playwright/test';
import { findChromium } from './chromium';
import { openExplorer, screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';

// A machine without a GPU: no WebGPU adapter, and WebGL only on SwiftShader (a CPU rasteriser).
test.use({
  launchOptions: {
    executablePath: findChromium(),
    args: [
      '--no-sandbox',
      '--disable-features=WebGPU',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
});

test('without WebGPU and with software WebGL the page runs on wasm and says why', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openExplorer(page, '');
  const badge = page.getByRole('status', { name: 'Engine backend' });
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  await expect(badge).toContainText(
    'no WebGPU adapter, and WebGL would run on the CPU (software renderer: SwiftShader); WASM is faster there',
  );
  await screenshot(page, 'screens/1440x900-badge-software-webgl', page.locator('header.topbar'));
  expect(errors).toEqual([]);
});

test('on the same machine ?backend=webgl still runs WebGL and names its renderer', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/?backend=webgl');
  const badge = page.getByRole('status', { name: 'Engine backend' });
  await expect(badge).toHaveAttribute('data-backend', 'webgl');
  await expect(badge).toContainText(/forced by the backend option/);
  await expect(badge).toContainText(/WebGL: ANGLE .*SwiftShader.* \(software\)/);
  expect(errors).toEqual([]);
});
