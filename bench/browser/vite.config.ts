// The benchmark page (bench/browser): Strata's engine worker without the app, so that bench/run.ts
// can time the engine in Chromium. Built and served by scripts/bench/browserSession.ts:
//   vite build --config bench/browser/vite.config.ts --outDir DIR
// Cross-origin isolated like the app (vite.config.ts), so the wasm backend gets its threads.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: import.meta.dirname,
  publicDir: resolve(import.meta.dirname, '../../public'),
  // As in the app: minifying the worker breaks the threaded wasm build's pthread glue (`e is not defined`).
  worker: { format: 'es', rolldownOptions: { output: { minify: false } } },
  preview: { host: '127.0.0.1', strictPort: true, headers: isolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 8192 },
  logLevel: 'warn',
});
