// Assembles Strata's WebAssembly kernels from their text form (src/engine/wasm/*.wat) into
// TypeScript modules holding the bytes, so nothing is assembled at run time:
// node scripts/assemble-wasm.mjs        (writes src/engine/wasm/<name>Bytes.ts)
// node scripts/assemble-wasm.mjs --check (exits 1 when a generated module is stale)
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleWat, bytesModule } from './assembleWat.mjs';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../src/engine/wasm');
const check = process.argv.includes('--check');
let stale = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
  const name = file.replace(/\.wat$/, '');
  const text = readFileSync(join(dir, file), 'utf8');
  const out = join(dir, `${name}Bytes.ts`);
  const source = bytesModule(name, await assembleWat(file, text));
  if (check) {
    let current = '';
    try {
      current = readFileSync(out, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== source) {
      console.error(`assemble-wasm: ${out} is stale; run node scripts/assemble-wasm.mjs`);
      stale++;
    }
  } else {
    writeFileSync(out, source);
    console.log(`assemble-wasm: wrote ${out}`);
  }
}
process.exit(stale ? 1 : 0);
