import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { browserLabel } from './browserSession';
import type { BrowserRealModelResult, BrowserRealModelSpec, StrataBench } from './browserSpecs';
import { messageOf, type BenchContext } from './context';
import { sampleTreePeak } from './procTree';
import type { Timing } from './stats';
import { ratioCheck, valueCheck } from './targets';
import type { Check, Row } from './types';

/** A job may take this long in the page (the machine may be loaded; Node takes ~20 s idle). */
const JOB_TIMEOUT_MS = 15 * 60_000;
/** Chromium's processes: the launched browser's name (/proc/PID/comm) and all under it. */
const CHROMIUM = /chrom/i;

type Bench = { strataBench: StrataBench };

interface PageJob extends BrowserRealModelResult {
  peakRssMb: number;
  startRssMb: number;
  processes: number;
  wasmHeapMb: number | null;
  maxRelDiff?: number;
}

/** What the Node rows of the same model measured, for the comparison. */
export interface NodeSide {
  /** The CLI's hidden-states run (load + forward + write), or null when it failed. */
  hiddenStates: Timing | null;
  /** The .npz it wrote (the reference of the page's hidden states), or null. */
  npz: string | null;
  weightsMb: number;
}

/** The wasm memory's size in the engine worker (it only grows, so this is its peak). */
async function wasmHeapMb(page: Page): Promise<number | null> {
  let best: number | null = null;
  for (const worker of page.workers()) {
    try {
      const bytes = await worker.evaluate(() => {
        type Wasm = { wasmMemory?: WebAssembly.Memory; HEAPU8?: Uint8Array };
        const g = globalThis as { _tfengine?: { registry?: { wasm?: { wasm?: Wasm } } } };
        const wasm = g._tfengine?.registry?.wasm?.wasm;
        return wasm?.wasmMemory?.buffer.byteLength ?? wasm?.HEAPU8?.byteLength ?? null;
      });
      if (typeof bytes === 'number') best = Math.max(best ?? 0, bytes / 2 ** 20);
    } catch {
      // a pthread worker that has gone away, or one without the engine
    }
  }
  return best;
}

/** One job on a fresh page: the folder's files set on #checkpoint, Chromium's RSS sampled meanwhile. */
async function pageJob(
  page: Page,
  dir: string,
  spec: BrowserRealModelSpec,
  reference: string | null,
): Promise<PageJob> {
  const input = existsSync(join(dir, 'input.npy')) ? 'input.npy' : 'input.npz';
  await page.setInputFiles(
    '#checkpoint',
    ['config.json', 'model.safetensors', input].map((f) => join(dir, f)),
  );
  const sampler = sampleTreePeak(process.pid, CHROMIUM);
  let rss: ReturnType<ReturnType<typeof sampleTreePeak>['stop']>;
  let result: BrowserRealModelResult;
  let heap: number | null;
  try {
    result = await page.evaluate(
      (s) => (window as unknown as Bench).strataBench.realModel(s),
      spec,
    );
    heap = await wasmHeapMb(page);
  } finally {
    rss = sampler.stop();
  }
  const job: PageJob = {
    ...result,
    peakRssMb: rss.peakMb,
    startRssMb: rss.firstMb,
    processes: rss.processes,
    wasmHeapMb: heap,
  };
  if (spec.job === 'hidden-states' && reference) {
    await page.setInputFiles('#reference', reference);
    const diff = await page.evaluate(() =>
      (window as unknown as Bench).strataBench.compareHiddenStates(),
    );
    job.maxRelDiff = diff.maxRelDiff;
  }
  return job;
}

const oneRun = (ms: number): Timing => ({ times: [ms], median: ms, min: ms, max: ms, spread: 0 });

/**
 * W6's Chromium rows for one model: the checkpoint imported in the benchmark page's engine worker
 * (load), then its hidden states through engine.hiddenStates on wasm, each on a fresh page; with
 * the peak wasm heap, the peak summed RSS of Chromium's processes, and the hidden states' distance
 * from the Node CLI's .npz. Targets: time within 1.2× of the Node CLI, heap ≤ 2.5 × weights + 300 MB.
 */
export async function chromiumRealModel(
  ctx: BenchContext,
  model: { name: string; title: string },
  dir: string,
  node: NodeSide,
): Promise<{ rows: Row[]; checks: Check[] }> {
  const rows: Row[] = [];
  const checks: Check[] = [];
  const budget = 2.5 * node.weightsMb + 300;
  const batchSize = ctx.sizes.w6.batchSize;
  let impl = 'Strata, Chromium wasm';
  let loadMs: number | null = null;
  const facts = (job: PageJob) => ({
    'peak wasm heap MB': job.wasmHeapMb === null ? '–' : Math.round(job.wasmHeapMb),
    'Chromium RSS MB, all processes: job start → peak': `${Math.round(job.startRssMb)} → ${Math.round(job.peakRssMb)}`,
    'budget MB (2.5 × weights + 300)': Math.round(budget),
    'main-thread long tasks (> 50 ms): count, longest': `${job.longTasks.count}, ${Math.round(job.longTasks.longestMs)} ms`,
  });
  for (const kind of ['load', 'hidden-states'] as const) {
    const task =
      kind === 'load'
        ? `${model.title}: load the checkpoint`
        : `${model.title}: hidden states in the page (load + forward)`;
    ctx.log(`W6: ${model.name}: Chromium ${kind}`);
    try {
      const session = await ctx.browser();
      const reference = kind === 'hidden-states' ? node.npz : null;
      const { info, result: job } = await session.run(
        'wasm',
        (page) => pageJob(page, dir, { job: kind, batchSize }, reference),
        JOB_TIMEOUT_MS,
      );
      impl = `${browserLabel(info)}, engine worker`;
      ctx.log(
        `W6: ${model.name}: Chromium ${kind} ${Math.round(job.ms)} ms, heap ${job.wasmHeapMb?.toFixed(0)} MB, ` +
          `RSS ${job.startRssMb.toFixed(0)} → ${job.peakRssMb.toFixed(0)} MB over ${job.processes} processes, ` +
          `${job.longTasks.count} main-thread long tasks (longest ${Math.round(job.longTasks.longestMs)} ms)`,
      );
      if (job.tensorBytesAfter > 0)
        ctx.log(`W6: ${model.name}: ${job.tensorBytesAfter} tensor bytes left after ${kind}`);
      if (kind === 'load') {
        loadMs = job.ms;
        rows.push({ task, impl, timing: oneRun(job.ms), facts: facts(job) });
        continue;
      }
      const forwardMs = loadMs === null ? null : job.ms - loadMs;
      const timing = oneRun(job.ms);
      rows.push({
        task,
        impl,
        timing,
        facts: {
          'samples/s': forwardMs ? Number((job.samples / (forwardMs / 1000)).toFixed(2)) : '–',
          ...facts(job),
          'max |Δ| / max(1, |value|) vs Node CLI': job.maxRelDiff ?? '–',
        },
      });
      checks.push(
        ratioCheck(
          `W6 ${model.name} Chromium wasm hidden-states within 1.2 × the Node CLI's time`,
          timing,
          node.hiddenStates,
          1.2,
          'at most',
        ),
        valueCheck(
          `W6 ${model.name} Chromium peak wasm heap ≤ 2.5 × weights + 300 MB`,
          job.wasmHeapMb,
          budget,
          'MB',
        ),
      );
      if (job.maxRelDiff !== undefined)
        checks.push(
          valueCheck(
            `W6 ${model.name} Chromium hidden states match the Node CLI's`,
            job.maxRelDiff,
            1e-4,
            '',
          ),
        );
    } catch (e) {
      rows.push({ task, impl, note: `failed: ${messageOf(e)}` });
    }
  }
  return { rows, checks };
}
