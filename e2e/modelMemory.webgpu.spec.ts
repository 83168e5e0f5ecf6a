import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { figure, heatmapFills, openExplorer, screenshot } from './explorerPage';
import { watchErrors } from './pageErrors';
import { waitForSteadyEngine } from './engineMemory';

// WebGPU at real size, on Chromium's software adapter: the first heatmaps appear without a click,
// the device gets the adapter's own buffer limits, and closing a model gives its GPU memory back.
// One page load carries all three: SwiftShader's WebGPU is correct but slow.
const VIT_MNIST = 'e2e/fixtures/models/vit-mnist';

test('on webgpu the first heatmaps appear without a click, the device has the adapter limits, and closing a model frees its GPU memory', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const errors = watchErrors(page);
  await openExplorer(page, 'backend=webgpu&samples=16', 360_000);
  await expect(page.getByRole('status', { name: 'Engine backend' })).toHaveAttribute(
    'data-backend',
    'webgpu',
  );
  const cosine = figure(page, /^Cosine similarity · mnist-aligned · mnist test, N = 16 /);
  const fills = await heatmapFills(cosine);
  const n = Math.sqrt(fills.length);
  // Every layer's cosine with itself is 1: one colour down the diagonal.
  expect(new Set(Array.from({ length: n }, (_, i) => fills[i * n + i])).size).toBe(1);
  await expect(figure(page, /^Linear CKA · mnist-aligned · mnist test, N = 16 /)).toBeVisible();
  await screenshot(
    page,
    'first-screen-webgpu',
    page.locator('section', { has: page.getByRole('heading', { name: 'Similarity' }) }),
  );
  // The page goes on with its own work after the first heatmaps (the other charts of the first
  // screen); the measurement below starts once the engine's tensors have stayed the same for a
  // while, so that only this test's model comes and goes between its readings.
  await waitForSteadyEngine(page);
  const files = {
    config: Array.from(readFileSync(`${VIT_MNIST}/config.json`)),
    weights: Array.from(readFileSync(`${VIT_MNIST}/model.safetensors`)),
  };
  const result = await page.evaluate(async ({ config, weights }) => {
    const engine = window.strata!.engine;
    const adapter = (await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }))!;
    const blob = (bytes: number[]) => new Blob([new Uint8Array(bytes)]);
    const before = await engine.memory();
    const summary = await engine.importModel({
      name: 'vit-mnist',
      config: { path: 'vit-mnist/config.json', file: blob(config) },
      weights: { path: 'vit-mnist/model.safetensors', file: blob(weights) },
    });
    const info = await engine.useImportedModel(summary.token, 'mnist');
    // An analysis runs the model, so every weight is uploaded to a GPU buffer.
    await engine.analyze({
      modelId: info.id,
      dataset: 'mnist',
      samples: 16,
      seed: 1,
      pooling: 'cls',
      metrics: ['cosine'],
      finalNormInHead: true,
      batchSize: 16,
      rbfT: 0.5,
    });
    const loaded = await engine.memory();
    await engine.closeModel(info.id);
    const closed = await engine.memory();
    const models = (await engine.listModels()).map((m) => m.id);
    return {
      adapter: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
      before,
      loaded,
      closed,
      weightBytes: summary.parameters * 4,
      listed: models.includes(info.id),
    };
  }, files);
  // The device asked for what the adapter offers, not WebGPU's defaults (128 MiB, 256 MiB).
  expect(result.before.gpuLimits).toEqual(result.adapter);
  // The page's own analyses run beside this, so only what closing the model gave back is compared:
  // all its weights, nearly all of them from GPU buffers (a tensor the analysis never used was
  // never uploaded).
  expect(result.loaded.numBytes - result.closed.numBytes).toBeGreaterThanOrEqual(
    result.weightBytes,
  );
  expect(result.loaded.gpuBytes! - result.closed.gpuBytes!).toBeGreaterThan(
    0.99 * result.weightBytes,
  );
  expect(result.listed).toBe(false);
  console.log(
    `webgpu ${JSON.stringify(result.adapter)}; GPU bytes before ${result.before.gpuBytes}, loaded ${result.loaded.gpuBytes} (weights ${result.weightBytes}), closed ${result.closed.gpuBytes}`,
  );
  expect(errors).toEqual([]);
});
