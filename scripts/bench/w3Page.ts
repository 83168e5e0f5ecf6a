import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../e2e/chromium';
import { frameFile, frameName, selfTimes, type CdpProfile } from './cpuProfile';
import { startPreview, VITE } from './browserSession';
import { messageOf, repsFor, type BenchContext } from './context';
import { gzipBytes, initialChunks } from './pageAssets';
import { PAGE_PROBE_SCRIPT, type PageProbeState } from './pageProbe';
import { repoRoot, runProcess } from './processes';
import { summarize } from './stats';
import { valueCheck } from './targets';
import type { Check, Row, WorkloadResult } from './types';

const HEATMAP_TIMEOUT_MS = 180_000;
const FINE_TUNE_TIMEOUT_MS = 20 * 60_000;

const probe = (page: Page) =>
  page.evaluate(() => (window as unknown as { __bench: PageProbeState }).__bench);

/** Opens the page in a fresh context (empty cache) and waits for the first heatmap. */
async function coldStart(browser: Browser, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(PAGE_PROBE_SCRIPT);
  const scripts = new Set<string>();
  const bytes = { wasm: 0, data: 0 };
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    const size = Number(r.headers()['content-length'] ?? 0);
    if (r.request().resourceType() === 'script' || path.endsWith('.js')) scripts.add(path);
    else if (path.endsWith('.wasm')) bytes.wasm += size;
    else if (path.startsWith('/models/') || path.startsWith('/datasets/')) bytes.data += size;
  });
  await page.goto(url);
  await page.waitForFunction(
    () => (window as unknown as { __bench: PageProbeState }).__bench.firstHeatmapMs !== null,
    undefined,
    { timeout: HEATMAP_TIMEOUT_MS, polling: 100 },
  );
  const state = await probe(page);
  return {
    page,
    context,
    firstHeatmapMs: state.firstHeatmapMs!,
    state,
    scripts: [...scripts],
    bytes,
  };
}

/**
 * W3: the built page in headless Chromium on /?backend=wasm: cold start to the first heatmap
 * (fresh browser context each time), main-thread long tasks during a fine-tune, and the gzip size
 * of the JavaScript the page loads first.
 */
export async function benchPage(ctx: BenchContext): Promise<WorkloadResult> {
  const { fineTuneSteps, port } = ctx.sizes.w3;
  const reps = repsFor(ctx, 3);
  const rows: Row[] = [];
  const checks: Check[] = [];
  const notes: string[] = [];
  const result: WorkloadResult = {
    id: 'W3',
    title: 'The page in headless Chromium',
    ranAt: new Date().toISOString(),
    loadBefore: 0,
    params: { url: '/?backend=wasm', coldStarts: reps, fineTuneSteps },
    rows,
    checks,
    notes,
  };
  const distDir = join(ctx.tmp, 'dist');
  ctx.log('W3: building the page (vite build) into a temp folder');
  if (!existsSync(join(repoRoot, 'public/datasets/mnist'))) {
    const data = await runProcess('npm', ['run', 'datasets']);
    if (data.code !== 0) notes.push('`npm run datasets` failed; the page may have no data.');
  }
  const build = await runProcess(process.execPath, [
    VITE,
    'build',
    '--outDir',
    distDir,
    '--emptyOutDir',
  ]);
  if (build.code !== 0) {
    notes.push(
      `vite build failed, nothing measured: ${build.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
    return result;
  }
  const initial = initialChunks(distDir);
  const initialKb = initial.reduce((s, f) => s + gzipBytes(join(distDir, 'assets', f)), 0) / 1024;
  rows.push({
    task: 'initial JavaScript',
    impl: 'production build',
    facts: { 'gzip KB': Math.round(initialKb), chunks: initial.join(', ') },
  });
  checks.push(valueCheck('W3 initial JS ≤ 400 KB gzip', initialKb, 400, 'KB'));

  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  try {
    server = await startPreview(distDir, port);
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    const url = `http://127.0.0.1:${port}/?backend=wasm`;
    const firsts: number[] = [];
    const backendReady: number[] = [];
    let fetched: string[] = [];
    let other = { wasm: 0, data: 0 };
    for (let r = 0; r < reps; r++) {
      ctx.log(`W3: cold start ${r + 1}/${reps}`);
      const run = await coldStart(browser, url);
      firsts.push(run.firstHeatmapMs);
      if (run.state.backendReadyMs !== null) backendReady.push(run.state.backendReadyMs);
      fetched = run.scripts;
      other = run.bytes;
      await run.context.close();
    }
    const timing = summarize(firsts);
    if (backendReady.length) {
      rows.push({
        task: 'cold start to the backend badge',
        impl: 'Chromium, wasm',
        timing: summarize(backendReady),
      });
    }
    rows.push({ task: 'cold start to first heatmap', impl: 'Chromium, wasm', timing });
    checks.push(valueCheck('W3 first heatmap ≤ 3 s', timing.median / 1000, 3, 's'));
    const fetchedKb =
      fetched
        .map((p) => join(distDir, p))
        .filter((p) => existsSync(p))
        .reduce((s, p) => s + gzipBytes(p), 0) / 1024;
    rows.push({
      task: 'fetched before the first heatmap',
      impl: 'page + worker',
      facts: {
        'gzip KB': Math.round(fetchedKb),
        chunks: fetched.length,
        'wasm KB': Math.round(other.wasm / 1024),
        'models + data KB': Math.round(other.data / 1024),
      },
    });

    ctx.log(`W3: ${fineTuneSteps}-step fine-tune, watching main-thread long tasks`);
    const { page, context } = await coldStart(browser, url);
    const hasHandle = await page.evaluate(
      () =>
        typeof (window as unknown as { strata?: { engine?: unknown } }).strata?.engine !==
        'undefined',
    );
    if (!hasHandle) {
      notes.push(
        'window.strata.engine does not exist in this build, so the browser rows of W1 and W2 (wasm, webgpu) ' +
          'are not measured; the page was driven through its UI instead.',
      );
    }
    const steps = page.getByLabel('Steps', { exact: true });
    await steps.fill(String(fineTuneSteps));
    await steps.press('Enter');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 }); // µs
    await cdp.send('Profiler.start');
    const t0 = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Start fine-tuning' }).click();
    await page.waitForFunction(
      () => {
        const s = document
          .querySelector('progress[aria-label="Training progress"]')
          ?.getAttribute('data-state');
        return s === 'done' || s === 'stopped' || s === 'error';
      },
      undefined,
      { timeout: FINE_TUNE_TIMEOUT_MS, polling: 500 },
    );
    const t1 = await page.evaluate(() => performance.now());
    const { profile: cpu } = (await cdp.send('Profiler.stop')) as unknown as {
      profile: CdpProfile;
    };
    const byFile = selfTimes(cpu, frameFile);
    result.profile = {
      title: `Main-thread CPU profile during the fine-tune (CDP sampling, self time)`,
      itemLabel: 'script or native',
      totalMs: byFile.reduce((s, k) => s + k.ms, 0),
      wallMs: t1 - t0,
      kernels: byFile,
      byShape: selfTimes(cpu, frameName).slice(0, 15),
    };
    const state = await probe(page);
    const during = state.longTasks.filter((t) => t.start >= t0 && t.start <= t1);
    const longest = during.reduce((m, t) => Math.max(m, t.duration), 0);
    rows.push({
      task: `main-thread long tasks during a ${fineTuneSteps}-step fine-tune`,
      impl: 'Chromium, wasm',
      facts: {
        'tasks > 50 ms': during.length,
        'longest ms': Math.round(longest),
        'total ms': Math.round(during.reduce((s, t) => s + t.duration, 0)),
        'fine-tune s': Number(((t1 - t0) / 1000).toFixed(1)),
        status: (await page.getByTestId('train-status').textContent()) ?? '',
      },
    });
    checks.push({
      target: 'W3 no main-thread task > 50 ms during a fine-tune',
      measured: `${during.length} tasks, longest ${Math.round(longest)} ms`,
      met: during.length === 0,
      detail:
        during.length === 0
          ? 'none'
          : `${during.length} long tasks; the longest is ${(longest / 50).toFixed(1)}× the limit`,
    });
    await context.close();
  } catch (e) {
    notes.push(`Page measurement stopped: ${messageOf(e)}`);
  } finally {
    await browser?.close();
    server?.kill();
  }
  notes.push(
    'Initial JavaScript = the module scripts of index.html and every chunk they import statically, gzipped at ' +
      'zlib’s default level; the worker and its chunks load after it and are counted in the second row.',
  );
  return result;
}
