import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineHost } from './api';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the WASM binaries are in node_modules, for initBackend in Node. */
export function nodeWasmPaths(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const files = [
    'tfjs-backend-wasm.wasm',
    'tfjs-backend-wasm-simd.wasm',
    'tfjs-backend-wasm-threaded-simd.wasm',
  ];
  return Object.fromEntries(files.map((f) => [f, join(dist, f)]));
}

/** The engine's host in Node: shipped assets come from the repository's public/ folder. */
export function nodeEngineHost(publicDir = join(repoRoot, 'public')): EngineHost {
  return {
    wasmPaths: nodeWasmPaths(),
    async readAsset(path) {
      return new Uint8Array(await readFile(join(publicDir, path)));
    },
  };
}
