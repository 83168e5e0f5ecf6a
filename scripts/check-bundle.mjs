// Fails when TensorFlow.js code reaches the main-thread bundle of the production build (the entry
// chunk and every chunk it imports statically): the engine lives in the worker (docs/design.md §1).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const assets = join('dist', 'assets');
const html = readFileSync(join('dist', 'index.html'), 'utf8');
const entries = [...html.matchAll(/<script[^>]+src="\/?assets\/([^"]+\.js)"/g)].map((m) => m[1]);
if (entries.length === 0) {
  console.error('check-bundle: dist/index.html names no script; run vite build first');
  process.exit(1);
}
// tfjs-core reads the `tfjsflags` URL parameter; the backends name themselves.
const markers = [/tfjsflags/, /tfjs-backend-/, /@tensorflow\/tfjs/];
const hasMarker = (code) => markers.some((m) => m.test(code));

// The markers must find TensorFlow.js somewhere (in the worker's chunks), or the check proves nothing.
const all = readdirSync(assets).filter((f) => f.endsWith('.js'));
if (!all.some((f) => hasMarker(readFileSync(join(assets, f), 'utf8')))) {
  console.error(
    'check-bundle: no chunk contains TensorFlow.js at all; the markers are out of date',
  );
  process.exit(1);
}

const seen = new Set();
const queue = [...entries];
while (queue.length) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  seen.add(file);
  const code = readFileSync(join(assets, file), 'utf8');
  for (const m of code.matchAll(/(?:import|from)\s*["']\.\/([^"']+\.js)["']/g)) queue.push(m[1]);
}
const bad = [...seen].filter((f) => hasMarker(readFileSync(join(assets, f), 'utf8')));
if (bad.length) {
  console.error(`check-bundle: TensorFlow.js reached the main-thread bundle: ${bad.join(', ')}`);
  process.exit(1);
}
const kib = [...seen].reduce((s, f) => s + readFileSync(join(assets, f)).length, 0) / 1024;
console.log(
  `check-bundle: main-thread bundle (${[...seen].join(', ')}; ${kib.toFixed(0)} KiB) is free of TensorFlow.js`,
);
