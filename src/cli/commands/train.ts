import { PRESETS, type ModelConfig } from '../../engine/model/config';
import { initParams } from '../../engine/model/params';
import { saveCheckpoint } from '../../engine/checkpoint';
import {
  collectExitLogitsOfHeads,
  layerAccuracyAndLoss,
  type LoadedModel,
} from '../../engine/pipeline/evaluate';
import { modelForLoss } from '../../engine/train/heads';
import type { LayerWeighting } from '../../engine/train/schedule';
import {
  createTrainer,
  DEFAULT_TRAIN_CONFIG,
  type EvalLog,
  type TrainConfig,
  type TrainLog,
} from '../../engine/train/trainer';
import { choiceOption, intOption, numberOption, parseOptions, requireOption } from '../args';
import { UsageError } from '../errors';
import { toJson, writeOutputs } from '../output';
import { progressBar } from '../progress';
import { checkModelFitsDataset, resolveDataset, resolveModel } from '../resolve';
import type { CommandContext } from '../context';

const PRESET_NAMES = Object.keys(PRESETS);

export const TRAIN_USAGE = `strata train --model M --dataset D --loss standard|aligned|multihead
             [--schedule linear|uniform|λ1,…,λL] --steps S --batch-size B --lr X --seed K
             [--warmup W] [--weight-decay WD] [--eval-every E] [--backend wasm|cpu] --out DIR
  M is a checkpoint to fine-tune (built-in name or folder) or a preset to train from scratch
  (${PRESET_NAMES.join(', ')}). --schedule weighs the layers' loss terms (aligned, multihead):
  linear λ_l = 2l/(L(L+1)) (default), uniform 1/L, or L comma-separated numbers ≥ 0 used as given.
  Writes DIR/model.safetensors, DIR/config.json, DIR/metrics.json.`;

/** --schedule: a named layer weighting, or a comma-separated list checked against the model's L. */
function weightingOption(value: string | undefined): LayerWeighting {
  if (value === undefined || !value.includes(','))
    return choiceOption('train', 'schedule', value, ['linear', 'uniform'] as const, 'linear');
  const parts = value.split(',').map((part) => part.trim());
  const weights = parts.map(Number);
  const bad = parts.findIndex((p, i) => p === '' || !Number.isFinite(weights[i]) || weights[i] < 0);
  if (bad >= 0)
    throw new UsageError(
      `strata train: --schedule ${value}: weight ${bad + 1} is "${parts[bad]}", expected a number ≥ 0 (or linear, uniform)`,
    );
  if (weights.every((w) => w === 0))
    throw new UsageError(`strata train: --schedule ${value}: all weights are 0`);
  return weights;
}

const spec = {
  model: { type: 'string' },
  dataset: { type: 'string' },
  loss: { type: 'string' },
  schedule: { type: 'string' },
  steps: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  warmup: { type: 'string' },
  'weight-decay': { type: 'string' },
  'eval-every': { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
} as const;

/** The model to start from: a preset (fresh, seeded weights) or a checkpoint. */
async function startingModel(
  spec: string,
  seed: number,
  classNames: string[],
): Promise<LoadedModel & { name: string; fromScratch: boolean }> {
  if (PRESET_NAMES.includes(spec)) {
    const preset = PRESETS[spec as keyof typeof PRESETS] as ModelConfig;
    const config: ModelConfig = {
      ...preset,
      numClasses: classNames.length,
      labels: [...classNames],
    };
    return { name: spec, fromScratch: true, config, params: initParams(config, seed) };
  }
  return { ...(await resolveModel(spec)), fromScratch: false };
}

export async function trainCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('train', argv, spec);
  const out = requireOption('train', 'out', o.out);
  const d = DEFAULT_TRAIN_CONFIG;
  const steps = intOption('train', 'steps', o.steps, d.steps, 1);
  const config: TrainConfig = {
    ...d,
    loss: choiceOption(
      'train',
      'loss',
      requireOption('train', 'loss', o.loss),
      ['standard', 'aligned', 'multihead'] as const,
      'aligned',
    ),
    weighting: weightingOption(o.schedule),
    steps,
    batchSize: intOption('train', 'batch-size', o['batch-size'], d.batchSize, 1),
    lr: numberOption('train', 'lr', o.lr, d.lr, Number.MIN_VALUE, 1),
    seed: intOption('train', 'seed', o.seed, d.seed, 0),
    warmupSteps: intOption(
      'train',
      'warmup',
      o.warmup,
      Math.min(d.warmupSteps, Math.floor(steps / 10)),
      0,
    ),
    weightDecay: numberOption('train', 'weight-decay', o['weight-decay'], d.weightDecay, 0, 1),
    evalEvery: intOption(
      'train',
      'eval-every',
      o['eval-every'],
      Math.max(1, Math.floor(steps / 5)),
      0,
    ),
    logEvery: Math.max(1, Math.min(d.logEvery, Math.floor(steps / 20) || 1)),
  };
  await ctx.startBackend(o.backend);
  const dataset = await resolveDataset(requireOption('train', 'dataset', o.dataset));
  const start = await startingModel(
    requireOption('train', 'model', o.model),
    config.seed,
    dataset.classNames,
  );
  checkModelFitsDataset(start, start.name, dataset);
  if (config.batchSize > dataset.train.n)
    throw new UsageError(
      `strata train: --batch-size ${config.batchSize} exceeds the ${dataset.train.n} training rows`,
    );
  const L = start.config.numLayers;
  if (Array.isArray(config.weighting) && config.weighting.length !== L)
    throw new UsageError(
      `strata train: --schedule ${o.schedule}: ${config.weighting.length} weights, expected one per layer of ${start.name} (${L})`,
    );
  const model = modelForLoss(start, config.loss, config.seed);

  const logs: TrainLog[] = [];
  const evals: EvalLog[] = [];
  const bar = progressBar(`training ${config.loss}`, steps);
  const trainer = createTrainer(model, dataset, config, {
    onLog: (log) => {
      logs.push(log);
      bar.update(log.step, `loss ${log.loss.toFixed(4)}, ${log.stepsPerSecond.toFixed(1)} steps/s`);
    },
    onEval: (e) => evals.push(e),
  });
  const began = performance.now();
  await trainer.run();
  const trainMs = performance.now() - began;
  trainer.dispose();
  bar.done(`${steps} steps in ${(trainMs / 1000).toFixed(1)} s`);

  // Final per-layer test accuracy on the whole test split.
  const all = Int32Array.from({ length: dataset.test.n }, (_, i) => i);
  const evalBar = progressBar('testing', all.length);
  const heads = config.loss === 'multihead' ? 'multihead' : 'aligned';
  // A multi-head model is also read through the shared classifier g, in the same forward pass.
  const [exit, shared = exit] = await collectExitLogitsOfHeads(
    model,
    dataset,
    dataset.test,
    all,
    heads === 'multihead' ? ['multihead', 'aligned'] : ['aligned'],
    { onProgress: (n) => evalBar.update(n) },
  );
  evalBar.done();
  const final = layerAccuracyAndLoss(exit);
  const sharedFinal = layerAccuracyAndLoss(shared);

  const recipe = {
    model: start.name,
    fromScratch: start.fromScratch,
    dataset: dataset.name,
    ...config,
  };
  const files = await saveCheckpoint(model, { strata_recipe: JSON.stringify(recipe) });
  const metrics = {
    recipe,
    backend: ctx.backend?.name,
    trainSeconds: trainMs / 1000,
    testSamples: all.length,
    perLayerAccuracy: final.accuracy,
    perLayerLoss: final.loss,
    sharedClassifierAccuracy: sharedFinal.accuracy,
    log: logs,
    evals,
  };
  const written = await writeOutputs(out, {
    'model.safetensors': files.weights,
    'config.json': files.config,
    'metrics.json': toJson(metrics),
  });
  ctx.log(
    `wrote ${written.join(', ')}; last-layer test accuracy ${(final.accuracy[final.accuracy.length - 1] * 100).toFixed(2)}%`,
  );
}
