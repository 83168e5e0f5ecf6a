import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer); both the dev
// and the preview server send it, so what tests measure is what users get.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The page's Content Security Policy, also sent as a header: a <meta> policy does not reach the
// engine's worker, which is loaded from its own URL. Same text as index.html's meta (a unit test,
// src/app/csp.test.ts, checks that they match). script-src allows blob: because the threaded
// WASM build starts its pthread workers with importScripts of a blob URL.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:; " +
  "connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'";

/**
 * Every header a static host must send with the page and its worker. public/_headers and the nginx
 * snippet in docs/hosting.md are written from this (scripts/hostingHeaders.ts, checked by its test).
 */
export const HOSTING_HEADERS: Record<string, string> = {
  ...isolation,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es', rolldownOptions: { output: { minify: false } } },
  server: { host: '127.0.0.1', headers: isolation },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
    headers: HOSTING_HEADERS,
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
