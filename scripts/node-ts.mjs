// Runs a TypeScript file of this repository in Node with the engine's module setup (tsx, plus
// the resolve hook for TensorFlow.js's bundler-style imports): node scripts/node-ts.mjs FILE [ARGS]
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { register as registerTsx } from 'tsx/esm/api';

register('../bin/tfjs-resolve.mjs', import.meta.url);
registerTsx();
const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/node-ts.mjs FILE.ts [ARGS]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(file), ...args];
await import(pathToFileURL(resolve(file)).href);
