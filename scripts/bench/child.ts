// One benchmark job in a fresh Node process (so that peak memory and backend state belong to
// it alone): node --expose-gc scripts/node-ts.mjs scripts/bench/child.ts BACKEND 'TASK_JSON'
// Logs go to stderr; the result is the last stdout line, prefixed by RESULT_MARKER.
import type { BackendName } from '../../src/engine/backend';
import { initNodeBackend } from '../../src/engine/nodeBackend';
import { tf } from '../../src/engine/tf';
import { startGpuCounting } from './gpu/active';
import { runCliAnalyze, type CliAnalyzeTask } from './node/cliAnalyze';
import { runLeaks, type LeaksTask } from './node/leaks';
import { runRealModel, type RealModelTask } from './node/realModel';
import { runRowProbe, type RowProbeTask } from './node/rowProbe';
import { runScale, type ScaleTask } from './node/scale';
import { runSimilarity, type SimilarityTask } from './node/similarity';
import { runTraining, type TrainingTask } from './node/training';
import { RESULT_MARKER } from './processes';

export type ChildTask =
  | SimilarityTask
  | TrainingTask
  | ScaleTask
  | LeaksTask
  | RowProbeTask
  | CliAnalyzeTask
  | RealModelTask;

async function run(task: ChildTask): Promise<unknown> {
  if (task.kind === 'similarity') return runSimilarity(task);
  if (task.kind === 'training') return runTraining(task);
  if (task.kind === 'scale') return runScale(task);
  if (task.kind === 'rows') return runRowProbe(task);
  if (task.kind === 'cli-analyze') return runCliAnalyze(task);
  if (task.kind === 'real-model') return runRealModel(task);
  return runLeaks(task);
}

async function main(): Promise<void> {
  const [backend, json] = process.argv.slice(2);
  if (!['wasm', 'wasm-threads', 'cpu', 'webgpu'].includes(backend))
    throw new Error(`child: backend ${backend}, expected wasm, wasm-threads, cpu or webgpu`);
  // wasm-threads: the wasm backend on its threaded build (worker_threads).
  const threads = backend === 'wasm-threads';
  const name = (threads ? 'wasm' : backend) as BackendName;
  const info = await initNodeBackend(name, threads);
  if (info.name !== name || (threads && !info.threads))
    throw new Error(`child: asked for ${backend}, got ${info.name} (${info.reason})`);
  if (backend === 'webgpu') startGpuCounting();
  const task = JSON.parse(json) as ChildTask;
  const result = await run(task);
  const details = {
    backend: info.name,
    simd: name === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : undefined,
    threads: name === 'wasm' ? tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') : undefined,
    adapter: info.adapter,
    tfjs: tf.version_core,
  };
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify({ details, result })}\n`);
  // Dawn's device keeps the event loop alive: end the process once the result is out.
  if (backend === 'webgpu') process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
