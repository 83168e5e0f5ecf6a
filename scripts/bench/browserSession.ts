import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../e2e/chromium';
import type { BackendInfo, BackendName } from '../../src/engine/api';
import type { BrowserSimilaritySpec, BrowserTrainingSpec, StrataBench } from './browserSpecs';
import { repoRoot, runProcess } from './processes';

export const VITE = join(repoRoot, 'node_modules/vite/bin/vite.js');
const CONFIG = join(repoRoot, 'bench/browser/vite.config.ts');

/** Serves a built folder with `vite preview` (the config's headers) until the process is killed. */
export async function startPreview(
  distDir: string,
  port: number,
  config?: string,
): Promise<ChildProcess> {
  const args = [VITE, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'];
  args.push('--outDir', distDir, ...(config ? ['--config', config] : []));
  const server = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 120; i++) {
    if (server.exitCode !== null) {
      throw new Error(`vite preview exited with ${server.exitCode} (port ${port} in use?)`);
    }
    try {
      if ((await fetch(url)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  server.kill();
  throw new Error(`vite preview did not answer on ${url} within 60 s`);
}

/** The benchmark page (bench/browser) built, served and open in headless Chromium. */
export interface BrowserSession {
  /**
   * Opens a fresh page (its own engine worker), starts `backend` in it and runs `job` there,
   * closing the page after `timeoutMs` at the latest. Returns what the backend reported and the
   * job's result.
   */
  run<T>(
    backend: BackendName,
    job: (page: Page) => Promise<T>,
    timeoutMs: number,
  ): Promise<{ info: BackendInfo; result: T }>;
  close(): Promise<void>;
}

/** Builds bench/browser into `outDir`, serves it on `port` and launches Chromium. */
export async function openBrowserSession(outDir: string, port: number): Promise<BrowserSession> {
  const build = await runProcess(
    process.execPath,
    [VITE, 'build', '--config', CONFIG, '--outDir', outDir, '--emptyOutDir'],
    { echo: false },
  );
  if (build.code !== 0) {
    throw new Error(
      `building bench/browser failed: ${build.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  const server = await startPreview(outDir, port, CONFIG);
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  } catch (e) {
    server.kill();
    throw e;
  }
  return {
    async run(backend, job, timeoutMs) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const seen = errors.length ? ` (page errors: ${errors.slice(0, 3).join('; ')})` : '';
          reject(new Error(`did not finish within ${Math.round(timeoutMs / 1000)} s${seen}`));
        }, timeoutMs);
      });
      const work = async () => {
        await page.goto(`http://127.0.0.1:${port}/`);
        await page.waitForFunction(() => 'strataBench' in window);
        const info = await page.evaluate(
          (b) => (window as unknown as { strataBench: StrataBench }).strataBench.init(b),
          backend,
        );
        return { info, result: await job(page) };
      };
      try {
        return await Promise.race([work(), timeout]);
      } finally {
        clearTimeout(timer);
        await page.close(); // also ends a job that timed out
      }
    },
    async close() {
      await browser.close();
      server.kill();
    },
  };
}

type Bench = { strataBench: StrataBench };

/** W1 in the page: analyzeActivations on the engine worker, timed in the page (see main.ts). */
export function similarityInPage(page: Page, spec: BrowserSimilaritySpec) {
  return page.evaluate((s) => (window as unknown as Bench).strataBench.similarity(s), spec);
}

/** W2 in the page: a fine-tune of a built-in checkpoint, each step's time from its log. */
export function trainingInPage(page: Page, spec: BrowserTrainingSpec) {
  return page.evaluate((s) => (window as unknown as Bench).strataBench.training(s), spec);
}

/** How a row names the browser backend: threads for wasm, the adapter (and if it is software) for WebGPU. */
export function browserLabel(info: BackendInfo): string {
  if (info.name === 'wasm') return `Strata, Chromium wasm (threads ${info.threads ? 'on' : 'off'})`;
  const software = /swiftshader|software/i.test(info.adapter);
  return `Strata, Chromium ${info.name} (${info.adapter}${software ? ': a software adapter, not a GPU' : ''})`;
}
