// Trains Strata's built-in language models, public/models/imdb-lm-standard and imdb-lm-aligned:
// a small GPT-2 (scripts/models/lmRecipe.ts) on the IMDB training reviews' word-level ids with
// the standard or the aligned LM loss, then measures the logit lens (per-layer next-token
// accuracy, loss, perplexity) on a seeded sample of the test reviews. Deterministic on one backend.
//
//   node scripts/node-ts.mjs scripts/train-lm.ts standard        # or aligned; one per process
//   ... aligned --steps 5 --out /tmp/x                            # a timing run
//   ... aligned --resume                                          # continue from the last save
//   ... aligned --lens                                            # only re-measure the lens
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadBuiltinDataset } from '../src/engine/data/builtin';
import { sampleIndices } from '../src/engine/data/order';
import { inputRows, type DecoderInput } from '../src/engine/decoder/decoderInput';
import { loadDecoderParams } from '../src/engine/decoder/decoderWeights';
import { decoderConfigFromHuggingFace } from '../src/engine/decoder/decoderConfig';
import { logitLens } from '../src/engine/decoder/logitLens';
import { openWeights } from '../src/engine/import/checkpointWeights';
import { bytesSource } from '../src/engine/io/byteSource';
import { initNodeBackend } from '../src/engine/nodeBackend';
import { lmResume, LM_OPTIMIZER_FILE, saveLmCheckpoint } from '../src/engine/train/lmCheckpoint';
import { createLmTrainer } from '../src/engine/train/lmTrainer';
import type { TrainLog } from '../src/engine/train/trainConfig';
import {
  lmConfigJson,
  lmInput,
  tokenizerConfigJson,
  wordLevelTokenizerJson,
} from './models/lmData';
import { initDecoderParams } from '../src/engine/train/lmInit';
import { writeLmSection } from './models/lmReport';
import { LM_LOSSES, LM_RECIPE, lmModelName } from './models/lmRecipe';

const root = resolve(import.meta.dirname, '..');
const say = (line: string) => process.stderr.write(`[train-lm] ${line}\n`);

/** Rows `indices` of an input, copied. */
function pick(input: DecoderInput, indices: Int32Array): DecoderInput {
  const { t } = input;
  const ids = new Int32Array(indices.length * t);
  const mask = new Float32Array(indices.length * t);
  indices.forEach((row, r) => {
    const one = inputRows(input, row, row + 1);
    ids.set(one.ids, r * t);
    mask.set(one.mask, r * t);
  });
  return { n: indices.length, t, ids, mask };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const loss = args.find((a) => (LM_LOSSES as readonly string[]).includes(a)) as
    (typeof LM_LOSSES)[number] | undefined;
  if (!loss) throw new Error(`name the loss: ${LM_LOSSES.join(' or ')}`);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const r = { ...LM_RECIPE, steps: Number(option('--steps') ?? LM_RECIPE.steps) };
  const out = resolve(option('--out') ?? join(root, 'public', 'models', lmModelName(loss)));
  await mkdir(out, { recursive: true });
  const backend = await initNodeBackend('wasm');
  say(`${loss}: backend ${backend.name}, out ${out}`);

  const datasets = join(root, 'public', 'datasets');
  const imdb = await loadBuiltinDataset(
    'imdb',
    async (p) => new Uint8Array(await readFile(join(datasets, p))),
  );
  const spec = imdb.tokenizer!;
  const train = lmInput(imdb.train, spec.seqLen, r.vocabSize);
  const test = lmInput(imdb.test, spec.seqLen, r.vocabSize);
  const configJson = lmConfigJson(r);
  const json = (x: unknown) => JSON.stringify(x, null, 2) + '\n';
  await writeFile(join(out, 'config.json'), json(configJson));
  await writeFile(join(out, 'tokenizer.json'), json(wordLevelTokenizerJson(spec, r.vocabSize)));
  await writeFile(join(out, 'tokenizer_config.json'), json(tokenizerConfigJson(spec)));

  const weightsFile = join(out, 'model.safetensors');
  const optimizerFile = join(out, LM_OPTIMIZER_FILE);
  const fromDisk = args.includes('--resume') || args.includes('--lens');
  let params;
  if (fromDisk && existsSync(weightsFile)) {
    const config = decoderConfigFromHuggingFace(configJson, 'config.json');
    const bytes = new Uint8Array(await readFile(weightsFile));
    const source = bytesSource(bytes, weightsFile);
    params = (await loadDecoderParams(config, await openWeights({ kind: 'single', file: source })))
      .params;
  } else
    params = initDecoderParams(
      decoderConfigFromHuggingFace(configJson, 'config.json'),
      r.seed,
      r.initStd,
    );

  const metricsFile = join(out, 'metrics.json');
  const logs: TrainLog[] =
    fromDisk && existsSync(metricsFile)
      ? (JSON.parse(await readFile(metricsFile, 'utf8')) as { log: TrainLog[] }).log
      : [];
  const recipe = { ...r, loss, backend: backend.name };
  const writeMetrics = (extra: object = {}) =>
    writeFile(metricsFile, json({ recipe, trainRows: train.n, ...extra, log: logs }));

  if (!args.includes('--lens')) {
    const resume =
      args.includes('--resume') && existsSync(optimizerFile)
        ? lmResume(new Uint8Array(await readFile(optimizerFile)), params, optimizerFile)
        : undefined;
    const trainer = createLmTrainer(
      params,
      train,
      { ...r, loss, logEvery: 10 },
      {
        onLog: (log) => {
          logs.push(log);
          say(
            `${loss} step ${log.step}/${r.steps} loss ${log.loss.toFixed(4)} terms ${log.terms.map((t) => t.toFixed(3)).join(' ')} ${(1 / log.stepsPerSecond).toFixed(2)} s/step`,
          );
        },
      },
      resume,
    );
    if (resume) say(`${loss}: resumed at step ${resume.step}`);
    const save = async () => {
      const files = await saveLmCheckpoint(params, trainer, {
        strata_recipe: JSON.stringify(recipe),
      });
      await writeFile(weightsFile, files.weights);
      await writeFile(optimizerFile, files.optimizer);
      await writeMetrics();
    };
    await trainer.run(async (step) => {
      if (step % r.saveEvery === 0 || step === r.steps) await save();
    });
    trainer.dispose();
  }

  const rows = sampleIndices(test.n, Math.min(r.evalRows, test.n), `${r.seed}:lens`);
  const began = performance.now();
  const lens = await logitLens(params, pick(test, rows), { batchSize: 16 });
  say(
    `${loss}: lens on ${rows.length} test reviews in ${((performance.now() - began) / 1000).toFixed(0)} s`,
  );
  const lensJson = {
    split: 'test',
    rows: rows.length,
    rowSeed: `${r.seed}:lens`,
    tokens: lens.tokens,
    layers: lens.layers,
    accuracy: lens.accuracy,
    loss: lens.loss,
    perplexity: lens.loss.map((l) => Math.exp(l)),
    kl: lens.kl,
    rank: lens.rank,
  };
  await writeFile(join(out, 'lens.json'), json(lensJson));
  await writeMetrics({ lens: { accuracy: lens.accuracy, perplexity: lensJson.perplexity } });
  // A run into the built-in folder updates the README's figures; a trial run elsewhere does not.
  if (!option('--out')) await writeLmSection(join(root, 'public', 'models'));
  say(
    `${loss}: per-layer accuracy ${lens.accuracy.map((a) => (a * 100).toFixed(1)).join(' ')}, perplexity ${lensJson.perplexity.map((p) => p.toFixed(1)).join(' ')}`,
  );
}

main().catch((e) => {
  process.stderr.write(`train-lm: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
