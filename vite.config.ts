import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer); both the dev
// and the preview server send it, so what tests measure is what users get.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es', rolldownOptions: { output: { minify: false } } },
  server: { host: '127.0.0.1', headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: isolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
