import { initBackend, type BackendInfo, type BackendName } from './backend';
import { nodeWasmPaths } from './nodeHost';
import { enableNodeWasmThreads } from './nodeWasmThreads';
import { installNodeWebGpu, nodeAdapterLabel } from './nodeWebGpu';

/**
 * Starts a backend in Node (CLI, unit tests): WASM binaries come from node_modules; WebGPU comes
 * from Dawn's Node binding (the `webgpu` package), whose adapter then names the backend.
 * `threads` (default: STRATA_WASM_THREADS=1 in the environment) runs wasm's threaded build on
 * worker_threads; off by default until an idle machine shows it wins (bench/notes-cpu.md).
 */
export async function initNodeBackend(
  force: BackendName = 'wasm',
  threads = process.env.STRATA_WASM_THREADS === '1',
): Promise<BackendInfo> {
  const gpu = force === 'webgpu' ? await installNodeWebGpu() : null;
  if (threads && force === 'wasm') await enableNodeWasmThreads();
  const info = await initBackend({ force, wasmPaths: nodeWasmPaths() });
  if (info.name === 'webgpu' && gpu) info.adapter = nodeAdapterLabel(gpu);
  return info;
}
