// Compares two folders of built-in checkpoints (e.g. the shipped public/models and the output of
// `npm run train:models` in a fresh clone): for each checkpoint in both, whether the weights are
// byte-identical and how far apart the per-layer test accuracies are.
//
//   node scripts/node-ts.mjs scripts/compare-models.ts public/models /tmp/clone/public/models
//
// Exit status 1 when a per-layer accuracy differs by more than --tolerance points (default 0.5).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RECIPES, modelName } from './models/recipes';

interface Metrics {
  perLayerAccuracy: number[];
  trainSeconds: number;
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function main(): Promise<void> {
  const [a, b] = process.argv.slice(2).filter((x) => !x.startsWith('--'));
  const at = process.argv.indexOf('--tolerance');
  const tolerance = at >= 0 ? Number(process.argv[at + 1]) : 0.5;
  if (!a || !b) throw new Error('usage: compare-models.ts DIR_A DIR_B [--tolerance POINTS]');
  let worst = 0;
  for (const name of RECIPES.map(modelName)) {
    const [ma, mb] = [join(a, name, 'metrics.json'), join(b, name, 'metrics.json')];
    if (!existsSync(ma) || !existsSync(mb)) {
      console.log(`${name}: not in both folders`);
      continue;
    }
    const [x, y] = await Promise.all(
      [ma, mb].map(async (p) => JSON.parse(await readFile(p, 'utf8')) as Metrics),
    );
    const diffs = x.perLayerAccuracy.map((v, l) => (y.perLayerAccuracy[l] - v) * 100);
    const largest = Math.max(...diffs.map(Math.abs));
    worst = Math.max(worst, largest);
    const same =
      (await sha256(join(a, name, 'model.safetensors'))) ===
      (await sha256(join(b, name, 'model.safetensors')));
    console.log(
      `${name}: weights ${same ? 'byte-identical' : 'differ'}; per-layer accuracy B − A (points): ` +
        `${diffs.map((d) => d.toFixed(2)).join(', ')}; largest |difference| ${largest.toFixed(2)}; ` +
        `training ${(x.trainSeconds / 60).toFixed(1)} → ${(y.trainSeconds / 60).toFixed(1)} min`,
    );
  }
  console.log(`largest difference ${worst.toFixed(2)} points (tolerance ${tolerance})`);
  if (worst > tolerance) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
});
