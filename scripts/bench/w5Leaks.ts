import { messageOf, type BenchContext } from './context';
import type { LeaksOutcome, LeaksTask, MemorySample } from './node/leaks';
import { runNodeChild } from './processes';
import { slope } from './stats';
import type { Check, Row, WorkloadResult } from './types';

/** Heap growth over a run below which the JS heap counts as flat (GC noise, JIT code). */
const HEAP_TOLERANCE_MB = 2;

function flatness(what: string, samples: MemorySample[], unit: string): { row: Row; check: Check } {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const at = samples.map((s) => s.at);
  const tensorDelta = last.numTensors - first.numTensors;
  const heapDelta = last.heapUsedMb - first.heapUsedMb;
  const heapSlope =
    slope(
      at,
      samples.map((s) => s.heapUsedMb),
    ) * 1024; // KB per unit
  const flat =
    tensorDelta === 0 && last.tensorMb === first.tensorMb && heapDelta < HEAP_TOLERANCE_MB;
  const row: Row = {
    task: what,
    impl: 'Strata, Node wasm',
    facts: {
      'numTensors first → last': `${first.numTensors} → ${last.numTensors}`,
      'tensor MB first → last': `${first.tensorMb.toFixed(2)} → ${last.tensorMb.toFixed(2)}`,
      'JS heap MB first → last': `${first.heapUsedMb.toFixed(1)} → ${last.heapUsedMb.toFixed(1)}`,
      'JS heap slope': `${heapSlope.toFixed(1)} KB/${unit}`,
      'RSS MB first → last': `${first.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)}`,
      'wasm heap MB first → last':
        first.wasmHeapMb === null
          ? '–'
          : `${first.wasmHeapMb.toFixed(0)} → ${last.wasmHeapMb!.toFixed(0)}`,
    },
  };
  const check: Check = {
    target: `W5 flat: ${what}`,
    measured: `Δ numTensors ${tensorDelta}, Δ heap ${heapDelta.toFixed(2)} MB`,
    met: flat,
    detail: flat
      ? `no tensor left behind; heap within ${HEAP_TOLERANCE_MB} MB (GC noise)`
      : `${tensorDelta} tensors and ${heapDelta.toFixed(2)} MB of heap gained over ${last.at} ${unit}s`,
  };
  return { row, check };
}

/** W5: tensor count and JS heap across many training steps and many analyses (Node wasm). */
export async function benchLeaks(ctx: BenchContext): Promise<WorkloadResult> {
  const s = ctx.sizes.w5;
  const task: LeaksTask = { kind: 'leaks', ...s };
  const rows: Row[] = [];
  const checks: Check[] = [];
  const notes: string[] = [];
  ctx.log(`W5: ${s.steps} training steps and ${s.analyses} analyses on Node wasm`);
  try {
    const { result } = await runNodeChild<LeaksOutcome>('wasm', task);
    const train = flatness(
      `${s.steps} training steps (vit-mnist, batch ${s.trainBatch})`,
      result.training,
      'step',
    );
    const analyses = flatness(
      `${s.analyses} analyses (${s.analysisLayers} layers × ${s.analysisN} × ${s.analysisD}, every metric)`,
      result.analyses,
      'analysis',
    );
    rows.push(train.row, analyses.row);
    checks.push(train.check, analyses.check);
    notes.push(
      `Samples after a full GC (node --expose-gc), every ${s.sampleEvery} steps and every ${Math.max(1, Math.floor(s.analyses / 20))} analyses; ` +
        `sample 0 follows one warm-up call. Training took ${(result.trainMs / 1000).toFixed(0)} s, the analyses ${(result.analysisMs / 1000).toFixed(0)} s.`,
      `The training run logs every 10 steps and evaluates ${200} test rows every ${Math.floor(s.steps / 4)} steps, as the page does, so those paths are covered too.`,
      `Batch ${s.trainBatch} keeps the run short: what leaks does not depend on the batch size.`,
    );
  } catch (e) {
    rows.push({ task: 'leaks', impl: 'Strata, Node wasm', note: `failed: ${messageOf(e)}` });
  }
  return {
    id: 'W5',
    title: 'Leaks: long runs of the entry points',
    ranAt: new Date().toISOString(),
    loadBefore: 0,
    params: { ...s },
    rows,
    checks,
    notes,
  };
}
