import { initBackend, type BackendInfo, type BackendName } from './backend';
import { nodeWasmPaths } from './nodeHost';

/** Starts a backend in Node (CLI, unit tests): WASM binaries come from node_modules. */
export async function initNodeBackend(force: BackendName = 'wasm'): Promise<BackendInfo> {
  return initBackend({ force, wasmPaths: nodeWasmPaths() });
}
