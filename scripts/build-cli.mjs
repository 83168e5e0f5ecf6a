// Builds the `strata` command line once into build/cli/strata.mjs (one ES module, TensorFlow.js
// included), so that a run starts without transpiling TypeScript: `npm run build:cli`, also run
// by `npm ci` / `npm install` (the prepare script). bin/strata.mjs runs what this writes.
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Two folders below the root, as src/cli is: the sources find public/ at `../..` from both.
const outfile = join(root, 'build/cli/strata.mjs');
const started = performance.now();
await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // TensorFlow.js's ES modules: one copy of tfjs-core for the core and its gradients.
  mainFields: ['module', 'main'],
  // The wasm backend's Emscripten glue is CommonJS for Node: it calls require('fs') and reads
  // __dirname, which an ES module has to define.
  banner: {
    js: [
      "import { createRequire as __strataRequire } from 'node:module';",
      "import { dirname as __strataDirname } from 'node:path';",
      "import { fileURLToPath as __strataPath } from 'node:url';",
      'const require = __strataRequire(import.meta.url);',
      'const __filename = __strataPath(import.meta.url);',
      'const __dirname = __strataDirname(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
  legalComments: 'none',
  // Whitespace and syntax only: names stay, so stack traces (STRATA_DEBUG=1) still read.
  minifyWhitespace: true,
  minifySyntax: true,
});
console.error(`build-cli: wrote ${outfile} in ${Math.round(performance.now() - started)} ms`);
