#!/usr/bin/env node
// `strata`: the command line of Strata (src/cli), run from its build, build/cli/strata.mjs (one
// ES module written by `npm run build:cli`, which `npm ci` and `npm install` run): no TypeScript
// is transpiled at start. Without a build, or with STRATA_FROM_SOURCE=1 (while changing the
// sources), it runs the sources through tsx, with a resolve hook for TensorFlow.js's imports.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const build = new URL('../build/cli/strata.mjs', import.meta.url);
let main;
if (existsSync(fileURLToPath(build)) && !process.env.STRATA_FROM_SOURCE) {
  ({ main } = await import(build.href));
} else {
  if (!process.env.STRATA_FROM_SOURCE) {
    process.stderr.write(
      `strata: the compiled command line ${fileURLToPath(build)} is missing; build it once with ` +
        '`npm run build:cli` (npm ci and npm install do). Running from the TypeScript sources ' +
        'meanwhile, which starts seconds slower.\n',
    );
  }
  const { register } = await import('node:module');
  const { register: registerTsx } = await import('tsx/esm/api');
  register('./tfjs-resolve.mjs', import.meta.url);
  registerTsx();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
