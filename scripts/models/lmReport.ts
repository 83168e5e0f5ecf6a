// The language models' section of public/models/README.md, from the lens.json and metrics.json
// that scripts/train-lm.ts wrote beside each model. It is the README's last section: the
// classifiers' report appends it, and train-lm.ts replaces it in place.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LM_LOSSES, lmModelName } from './lmRecipe';

export const LM_SECTION = '## Language models';

interface Lens {
  rows: number;
  tokens: number;
  accuracy: number[];
  loss: number[];
  perplexity: number[];
}

interface LmMetrics {
  recipe: Record<string, number | string>;
  trainRows: number;
  log: { elapsedMs: number }[];
}

const readJson = async <T>(path: string): Promise<T> =>
  JSON.parse(await readFile(path, 'utf8')) as T;

function table(
  title: string,
  rows: { name: string; values: number[] }[],
  format: (x: number) => string,
) {
  const L = rows[0].values.length;
  return [
    `### ${title}`,
    '',
    `| model | ${Array.from({ length: L }, (_, l) => `layer ${l}`).join(' | ')} |`,
    `|---|${'---:|'.repeat(L)}`,
    ...rows.map((r) => `| \`${r.name}\` | ${r.values.map(format).join(' | ')} |`),
    '',
  ];
}

/** The section's lines, or none when no language model has been trained. */
export async function lmSection(modelsDir: string): Promise<string[]> {
  const models = [];
  for (const loss of LM_LOSSES) {
    const name = lmModelName(loss);
    const dir = join(modelsDir, name);
    if (!existsSync(join(dir, 'lens.json'))) continue;
    models.push({
      name,
      lens: await readJson<Lens>(join(dir, 'lens.json')),
      metrics: await readJson<LmMetrics>(join(dir, 'metrics.json')),
    });
  }
  if (models.length === 0) return [];
  const first = models[0];
  const r = first.metrics.recipe;
  const out = [
    LM_SECTION,
    '',
    'Written by `node scripts/node-ts.mjs scripts/train-lm.ts standard|aligned` (recipe: scripts/models/lmRecipe.ts);',
    'do not edit by hand. Each folder is a GPT2LMHeadModel checkpoint (`config.json` + `model.safetensors`, tied head)',
    `with a Hugging Face WordLevel \`tokenizer.json\` (the first ${r.vocabSize} entries of the IMDB word-level vocabulary,`,
    'other words read as [UNK]; `[CLS]` opens every review) and `tokenizer_config.json`, trained on the IMDB training',
    `reviews' ids. \`lens.json\` holds the logit lens on ${first.lens.rows} held-out test reviews (a seeded sample, ${first.lens.tokens}`,
    'positions whose token and next token are both real): layer l < L read through the final norm and the tied',
    'vocabulary projection, layer L the model itself; next-token top-1 accuracy, cross-entropy (nats) and',
    'perplexity = exp(cross-entropy).',
    '',
    `Both saw ${Number(r.steps) * Number(r.batchSize)} training reviews (${((100 * Number(r.steps) * Number(r.batchSize)) / first.metrics.trainRows).toFixed(1)}% of one epoch of ${first.metrics.trainRows}) on two`,
    'CPU cores on wasm (times below). They are small demonstration models, not good language models: next-token',
    'accuracy stays near 20 %, the share of [UNK] among next tokens in the test split (20.1 %), which predicting',
    '[UNK] alone scores, so perplexity says more.',
    '',
    ...table(
      'Per-layer next-token accuracy (%)',
      models.map((m) => ({ name: m.name, values: m.lens.accuracy })),
      (x) => (x * 100).toFixed(2),
    ),
    ...table(
      'Per-layer loss (nats)',
      models.map((m) => ({ name: m.name, values: m.lens.loss })),
      (x) => x.toFixed(3),
    ),
    ...table(
      'Per-layer perplexity',
      models.map((m) => ({ name: m.name, values: m.lens.perplexity })),
      (x) => x.toFixed(1),
    ),
    '### Recipes',
    '',
    '| model | config | loss | steps × batch | lr (warm-up) | seed | backend | time |',
    '|---|---|---|---|---|---|---|---|',
    ...models.map((m) => {
      const c = m.metrics.recipe;
      const minutes = (m.metrics.log.at(-1)?.elapsedMs ?? 0) / 60000;
      return `| \`${m.name}\` | ${c.numLayers} blocks, width ${c.hiddenSize}, ${c.numHeads} heads, ${c.positions} positions, vocabulary ${c.vocabSize} | ${c.loss}${c.loss === 'aligned' ? ` (${c.weighting})` : ''} | ${c.steps} × ${c.batchSize} | ${c.lr} (${c.warmupSteps}) | ${c.seed} | ${c.backend} | ${minutes.toFixed(1)} min |`;
    }),
    '',
  ];
  return out;
}

/** Replaces the README's language-model section (or appends it) with the current figures. */
export async function writeLmSection(modelsDir: string): Promise<void> {
  const path = join(modelsDir, 'README.md');
  const text = existsSync(path) ? await readFile(path, 'utf8') : '';
  const at = text.indexOf(`\n${LM_SECTION}\n`);
  const kept = at >= 0 ? text.slice(0, at + 1) : text.endsWith('\n') ? text : `${text}\n`;
  await writeFile(path, kept + (await lmSection(modelsDir)).join('\n'));
}
