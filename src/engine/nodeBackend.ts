import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initBackend, type BackendInfo, type BackendName } from './backend';

/** Starts a backend in Node (CLI, unit tests): WASM binaries come from node_modules. */
export async function initNodeBackend(force: BackendName = 'wasm'): Promise<BackendInfo> {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const files = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  const wasmPaths = Object.fromEntries(files.map((f) => [f, join(dist, 'dist', f)]));
  return initBackend({ force, wasmPaths });
}
