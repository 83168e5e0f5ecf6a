import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from './tf';

const WORKER = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
const FACTORY = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

let installed = false;

/**
 * Lets tfjs-backend-wasm's threaded build run in Node (worker_threads). Its Emscripten glue
 * supports Node, but tfjs turns threads off there and hands the glue two Blob URLs (the pthread
 * worker and the main script), which Node's Worker cannot load. Both are written to files once,
 * and URL.createObjectURL answers those two Blobs (known by type and size) with the files' paths;
 * any other Blob gets a real blob URL. Call before the wasm backend starts.
 */
export async function enableNodeWasmThreads(): Promise<void> {
  if (installed) return;
  await import('@tensorflow/tfjs-backend-wasm'); // registers the flag set below
  const require = createRequire(import.meta.url);
  const { wasmWorkerContents } = require(WORKER) as { wasmWorkerContents: string };
  const factory = require(FACTORY) as () => unknown;
  // As tfjs-backend-wasm builds its Blobs (backend_wasm.ts: init).
  const workerText = wasmWorkerContents.replace(/\n/g, '\\n');
  const mainText = `var WasmBackendModuleThreadedSimd = ${factory.toString()}`;
  const dir = mkdtempSync(join(tmpdir(), 'strata-wasm-threads-'));
  // The workers read both files when they start; nothing needs them once the process ends.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const mainPath = join(dir, 'main.js');
  const workerPath = join(dir, 'worker.js');
  writeFileSync(mainPath, mainText);
  // Inside the worker, the only object URL asked for is the main script's.
  const prelude = `URL.createObjectURL = () => ${JSON.stringify(mainPath)}; URL.revokeObjectURL = () => {};\n`;
  writeFileSync(workerPath, prelude + workerText);
  const byteLength = (s: string) => new TextEncoder().encode(s).length;
  const known = new Map([
    [`application/javascript ${byteLength(workerText)}`, workerPath],
    [`text/javascript ${byteLength(mainText)}`, mainPath],
  ]);
  const original = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob | MediaSource) =>
    (obj instanceof Blob && known.get(`${obj.type} ${obj.size}`)) || original(obj);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  installed = true;
}
