// The engine's home in the browser: a module Web Worker exposing EngineApi through comlink.
import * as Comlink from 'comlink';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { createEngine } from './api';

const engine = createEngine({
  wasmPaths: {
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  },
  async readAsset(path) {
    const url = new URL(path, self.location.origin + import.meta.env.BASE_URL);
    const response = await fetch(url);
    if (!response.ok)
      throw new Error(`${path}: the server answered ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  },
  transfer: (value, buffers) => Comlink.transfer(value, buffers),
});

Comlink.expose(engine);
