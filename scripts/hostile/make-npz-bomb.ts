// Writes the hostile .npz used to measure the CLI's memory on a zip bomb:
//   npx tsx scripts/hostile/make-npz-bomb.ts /tmp/bomb.npz     # ~4 MB, four 1 GiB entries
//   /usr/bin/time -v node bin/strata.mjs analyze --activations /tmp/bomb.npz --out /tmp/bomb-out
import { writeFileSync } from 'node:fs';
import { npzBomb } from './npzBomb';

const out = process.argv[2];
if (!out) {
  console.error('usage: npx tsx scripts/hostile/make-npz-bomb.ts OUT.npz');
  process.exit(2);
}
const bytes = npzBomb();
writeFileSync(out, bytes);
console.log(`${out}: ${bytes.length} bytes, 4 entries of ${1024 ** 3 + 128} bytes inflated`);
