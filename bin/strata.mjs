#!/usr/bin/env node
// `strata`: the command line of Strata (src/cli). Runs the TypeScript sources through tsx, with
// a resolve hook for TensorFlow.js's bundler-style imports.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

register('./tfjs-resolve.mjs', import.meta.url);
registerTsx();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
