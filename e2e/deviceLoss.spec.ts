import { expect, test, type Page } from '@playwright/test';
import { figure, heatmapFills, setNumber, trainingStep } from './explorerPage';
import { watchErrors } from './pageErrors';

// The engine's WebGPU device is destroyed mid-work through the page's `?test-hooks=1` hook (as a
// driver reset would lose it). SwiftShader's WebGPU is slow, so N and the batch are tiny.

type Matrix = (number | null)[][];

/** Loses the device while the main analysis is in flight; says whether it was. */
async function loseDeviceMidAnalysis(page: Page): Promise<boolean> {
  await expect
    .poll(() => page.evaluate(() => window.strata!.testHooks!.busyChannels().includes('main')))
    .toBe(true);
  return page.evaluate(async () => {
    const hooks = window.strata!.testHooks!;
    const inFlight = hooks.busyChannels().includes('main') && hooks.mainAnalysis()?.n !== 32;
    await hooks.loseDevice();
    return inFlight;
  });
}

test('a lost WebGPU device: wasm takes over, the analysis is recomputed, the fine-tune resumes', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await page.goto('/?backend=webgpu&samples=16&test-hooks=1');
  const badge = page.getByRole('status', { name: 'Engine backend' });
  await expect(badge).toHaveAttribute('data-backend', 'webgpu');

  // A fine-tune with a snapshot (pausing takes one), running again when the device goes.
  await setNumber(page, 'Steps', 400);
  await setNumber(page, 'Batch size', 2);
  await setNumber(page, 'Evaluate every (steps)', 1000);
  await page.getByRole('button', { name: 'Start fine-tuning' }).click();
  await expect.poll(() => trainingStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByTestId('train-status')).toContainText(/paused/i);
  const saved = page.getByTestId('save-status');
  await expect(saved).not.toHaveAttribute('data-saved-step', '', { timeout: 120_000 });
  const snapshotStep = Number(await saved.getAttribute('data-saved-step'));
  expect(snapshotStep).toBe(await trainingStep(page));
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect.poll(() => trainingStep(page), { timeout: 120_000 }).toBeGreaterThan(snapshotStep);

  // A new main analysis (N = 32) starts on WebGPU; the device goes while it runs.
  await setNumber(page, 'Samples N', 32);
  expect(await loseDeviceMidAnalysis(page)).toBe(true);

  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(badge).toContainText(/WebGPU device lost: .+; now on wasm/);
  const alerts = page.getByRole('alert');
  await expect(alerts.getByText(/WebGPU device lost/)).toHaveCount(1);
  await expect(alerts).toContainText(
    new RegExp(`resumes from its snapshot at step ${snapshotStep} on the new backend`),
  );

  // The interrupted analysis arrives, recomputed on wasm: equal to a fresh wasm run.
  const cosine = figure(page, /^Cosine similarity · mnist-aligned · mnist test, N = 32 /);
  await expect
    .poll(async () => (await heatmapFills(cosine)).length, { timeout: 120_000 })
    .toBeGreaterThan(1);
  const [shown, fresh] = await page.evaluate(async () => {
    const main = window.strata!.testHooks!.mainAnalysis()!;
    return [main.metrics, (await window.strata!.engine.analyze(main.request)).metrics];
  });
  for (const metric of ['cosine', 'cka'] as const) {
    const a = shown[metric] as Matrix;
    const b = fresh[metric] as Matrix;
    expect(a.length).toBeGreaterThan(1);
    a.forEach((row, i) =>
      row.forEach((v, j) => {
        if (v === null || b[i][j] === null) expect(v).toBe(b[i][j]);
        else expect(Math.abs(v - b[i][j]!)).toBeLessThan(1e-4);
      }),
    );
  }

  // The fine-tune goes on from its snapshot, past it, on wasm.
  await expect
    .poll(() => trainingStep(page), { timeout: 120_000 })
    .toBeGreaterThan(snapshotStep + 2);
  await expect(page.getByTestId('train-status')).not.toContainText(/failed/i);
  await expect(alerts).not.toContainText(/Analysis of .* failed|Fine-tuning .* failed/);
  expect(errors).toEqual([]);
});
