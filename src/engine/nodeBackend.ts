import { initBackend, type BackendInfo, type BackendName } from './backend';
import { nodeWasmPaths } from './nodeHost';
import { installNodeWebGpu, nodeAdapterLabel } from './nodeWebGpu';

/**
 * Starts a backend in Node (CLI, unit tests): WASM binaries come from node_modules; WebGPU comes
 * from Dawn's Node binding (the `webgpu` package), whose adapter then names the backend.
 */
export async function initNodeBackend(force: BackendName = 'wasm'): Promise<BackendInfo> {
  const gpu = force === 'webgpu' ? await installNodeWebGpu() : null;
  const info = await initBackend({ force, wasmPaths: nodeWasmPaths() });
  if (info.name === 'webgpu' && gpu) info.adapter = nodeAdapterLabel(gpu);
  return info;
}
