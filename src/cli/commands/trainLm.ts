// `strata train --model <decoder folder> --input ids.npz`: fine-tunes a decoder language model
// with the standard or the aligned LM loss, written as other fine-tunes are (weights with their
// step, optimizer.safetensors to resume, metrics.json).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decoderConfigFromHuggingFace } from '../../engine/decoder/decoderConfig';
import { readConfigJson } from '../../engine/decoder/loadDecoder';
import { logitLens } from '../../engine/decoder/logitLens';
import { readSafetensors } from '../../engine/io/safetensors';
import { lmResume, LM_OPTIMIZER_FILE, saveLmCheckpoint } from '../../engine/train/lmCheckpoint';
import { createLmTrainer, type LmTrainConfig } from '../../engine/train/lmTrainer';
import type { LayerWeighting } from '../../engine/train/schedule';
import type { TrainLog } from '../../engine/train/trainConfig';
import { DEFAULT_TRAIN_CONFIG } from '../../engine/train/trainer';
import { choiceOption, intOption, numberOption, requireOption } from '../args';
import { checkpointFolderFiles } from '../checkpointFolder';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { toJson, writeOutputs } from '../output';
import { progressBar } from '../progress';
import { withDecoder } from './decoderRun';
import { modelFolder, readInputArrays } from './hiddenStates';

/** Rows of the input the lens is measured on after training (the first ones). */
const LENS_ROWS = 64;

export interface TrainLmOptions {
  model?: string;
  input?: string;
  loss?: string;
  steps?: string;
  'batch-size'?: string;
  lr?: string;
  seed?: string;
  warmup?: string;
  'weight-decay'?: string;
  resume?: boolean;
  backend?: string;
  out?: string;
}

export async function trainLmCommand(
  o: TrainLmOptions,
  weighting: LayerWeighting,
  ctx: CommandContext,
): Promise<void> {
  const out = requireOption('train', 'out', o.out);
  const inputPath = requireOption('train', 'input', o.input);
  const d = DEFAULT_TRAIN_CONFIG;
  const steps = intOption('train', 'steps', o.steps, d.steps, 1);
  const loss = choiceOption(
    'train',
    'loss',
    requireOption('train', 'loss', o.loss),
    ['standard', 'aligned'] as const,
    'aligned',
  );
  const config: LmTrainConfig = {
    loss,
    weighting,
    steps,
    batchSize: intOption('train', 'batch-size', o['batch-size'], 8, 1),
    lr: numberOption('train', 'lr', o.lr, d.lr, Number.MIN_VALUE, 1),
    seed: intOption('train', 'seed', o.seed, d.seed, 0),
    warmupSteps: intOption('train', 'warmup', o.warmup, Math.floor(steps / 10), 0),
    weightDecay: numberOption('train', 'weight-decay', o['weight-decay'], d.weightDecay, 0, 1),
    clipNorm: d.clipNorm,
    logEvery: Math.max(1, Math.min(d.logEvery, Math.floor(steps / 20) || 1)),
  };
  const folder = modelFolder(requireOption('train', 'model', o.model));
  const files = await checkpointFolderFiles(folder);
  const configBytes = new Uint8Array(await readFile(join(folder, 'config.json')));
  const decoder = decoderConfigFromHuggingFace(await readConfigJson(files), files.config.path);
  if (decoder.numClasses !== undefined)
    throw new UsageError(
      `strata train: ${files.config.path}: ${decoder.architecture} has a classification head, expected a language model to fine-tune on --input`,
    );
  if (Array.isArray(weighting) && weighting.length !== decoder.numLayers)
    throw new UsageError(
      `strata train: --schedule: ${weighting.length} weights, expected one per layer of ${files.config.path} (${decoder.numLayers})`,
    );
  const optimizerPath = join(folder, LM_OPTIMIZER_FILE);
  if (o.resume && !existsSync(optimizerPath))
    throw new UsageError(
      `strata train --resume: ${optimizerPath} is missing, expected the folder a fine-tune wrote`,
    );
  const arrays = await readInputArrays(inputPath);
  await ctx.startEngine(o.backend);
  const logs: TrainLog[] = [];
  const began = performance.now();
  const result = await withDecoder(
    { folder, files, arrays, inputPath, batchSize: config.batchSize },
    ctx,
    async (params, input) => {
      if (config.batchSize > input.n)
        throw new UsageError(
          `strata train: --batch-size ${config.batchSize} exceeds the ${input.n} rows of ${inputPath}`,
        );
      const resume = o.resume
        ? lmResume(new Uint8Array(await readFile(optimizerPath)), params, optimizerPath)
        : undefined;
      const bar = progressBar(`training ${loss} LM`, steps);
      const trainer = createLmTrainer(
        params,
        input,
        config,
        {
          onLog: (log) => {
            logs.push(log);
            bar.update(log.step, `loss ${log.loss.toFixed(4)}`);
          },
        },
        resume,
      );
      try {
        await trainer.run();
        bar.done(`${steps - (resume?.step ?? 0)} steps`);
        const n = Math.min(LENS_ROWS, input.n);
        const lens = await logitLens(params, {
          ...input,
          n,
          ids: input.ids.subarray(0, n * input.t),
          mask: input.mask.subarray(0, n * input.t),
        });
        const recipe = { model: folder, input: inputPath, ...config };
        const saved = await saveLmCheckpoint(params, trainer, {
          strata_recipe: JSON.stringify(recipe),
        });
        return { saved, lens, lensRows: n, recipe, resumedAt: resume?.step };
      } finally {
        trainer.dispose();
      }
    },
  );
  const extra: Record<string, string | Uint8Array> = {};
  const tokenizer = join(folder, 'tokenizer.json');
  if (existsSync(tokenizer)) extra['tokenizer.json'] = new Uint8Array(await readFile(tokenizer));
  const step = readSafetensors(result.saved.weights, 'model.safetensors').metadata.strata_step;
  const written = await writeOutputs(out, {
    'model.safetensors': result.saved.weights,
    [LM_OPTIMIZER_FILE]: result.saved.optimizer,
    'config.json': configBytes,
    ...extra,
    'metrics.json': toJson({
      recipe: result.recipe,
      backend: ctx.backend?.name,
      resumedAt: result.resumedAt ?? null,
      step: Number(step),
      trainSeconds: (performance.now() - began) / 1000,
      lens: { rows: result.lensRows, ...result.lens },
      log: logs,
    }),
  });
  const acc = result.lens.accuracy;
  ctx.log(
    `wrote ${written.join(', ')}; next-token accuracy ${acc[0].toFixed(3)} at layer 0 → ${acc[acc.length - 1].toFixed(3)} at layer ${acc.length - 1}`,
  );
}
