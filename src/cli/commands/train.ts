import type { DatasetInfo, EngineApi, TrainSnapshot } from '../../engine/api';
import { saveCheckpoint } from '../../engine/checkpoint';
import { readSafetensors, writeSafetensors } from '../../engine/io/safetensors';
import { DEFAULT_MINIBATCH_SIZE } from '../../engine/metrics/similarity';
import { PRESETS, type ModelConfig } from '../../engine/model/config';
import { disposeParams, initParams } from '../../engine/model/params';
import { freshModelId } from '../../engine/session/modelImports';
import { trainConfigOf } from '../../engine/session/training';
import type { LayerWeighting } from '../../engine/train/schedule';
import { DEFAULT_TRAIN_CONFIG, type EvalLog, type TrainLog } from '../../engine/train/trainer';
import { choiceOption, intOption, numberOption, parseOptions, requireOption } from '../args';
import { UsageError } from '../errors';
import { toJson, writeOutputs } from '../output';
import { phaseProgress, progressBar } from '../progress';
import {
  draftInfo,
  checkModelFitsDataset,
  resolveDataset,
  resolveModel,
  type ResolvedModel,
} from '../resolve';
import type { CommandContext } from '../context';
import { trainLmCommand } from './trainLm';

const PRESET_NAMES = Object.keys(PRESETS);

export const TRAIN_USAGE = `strata train --model M --dataset D --loss standard|aligned|multihead
             [--schedule linear|uniform|λ1,…,λL] --steps S --batch-size B --lr X --seed K
             [--warmup W] [--weight-decay WD] [--eval-every E] [--backend wasm|cpu|webgpu] --out DIR
  M is a checkpoint to fine-tune (built-in name or folder) or a preset to train from scratch
  (${PRESET_NAMES.join(', ')}). --schedule weighs the layers' loss terms (aligned, multihead):
  linear λ_l = 2l/(L(L+1)) (default), uniform 1/L, or L comma-separated numbers ≥ 0 used as given.
  Writes DIR/model.safetensors, DIR/config.json, DIR/metrics.json.
strata train --model DECODER --input FILE --loss standard|aligned [--schedule …] [--steps S]
             [--batch-size B] [--lr X] [--seed K] [--warmup W] [--resume] --out DIR
  Fine-tunes a decoder language model (GPT-2, Llama, Qwen2 folder) on FILE's input_ids [N, T]
  (.npz/.npy, optional attention_mask): standard = next-token cross-entropy at the last layer,
  aligned = Σ_l λ_l CE(unembed(final_norm(h_l)), next token). Writes DIR/model.safetensors (its
  step in the metadata), DIR/optimizer.safetensors, DIR/config.json, DIR/metrics.json (log and
  the logit lens on FILE's first 64 rows). --resume continues the run a DECODER folder holds.`;

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
  input: { type: 'string' },
  resume: { type: 'boolean' },
} as const;

/**
 * Registers the model to start from with the engine: a preset (fresh weights seeded by `seed`,
 * a head for the dataset's classes) or a checkpoint (built-in name or folder).
 */
async function startingModel(
  engine: EngineApi,
  spec: string,
  seed: number,
  dataset: DatasetInfo,
): Promise<ResolvedModel & { fromScratch: boolean }> {
  if (!PRESET_NAMES.includes(spec))
    return { ...(await resolveModel(engine, spec, dataset.name)), fromScratch: false };
  const preset = PRESETS[spec as keyof typeof PRESETS] as ModelConfig;
  const config: ModelConfig = {
    ...preset,
    numClasses: dataset.classNames.length,
    labels: [...dataset.classNames],
  };
  const params = initParams(config, seed);
  const files = await saveCheckpoint({ config, params });
  disposeParams(params);
  const taken = new Set((await engine.listModels()).map((m) => m.id));
  const draft = draftInfo(freshModelId(spec, taken), `${spec} (fresh, seed ${seed})`, dataset.name);
  const info = await engine.registerCheckpoint(draft, files, spec);
  return { id: info.id, name: spec, info, fromScratch: true };
}

export async function trainCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('train', argv, spec);
  // A decoder language model fine-tunes on token ids (--input), not on a dataset's labels.
  if (o.input !== undefined || o.resume) return trainLmCommand(o, weightingOption(o.schedule), ctx);
  const out = requireOption('train', 'out', o.out);
  const d = DEFAULT_TRAIN_CONFIG;
  const steps = intOption('train', 'steps', o.steps, d.steps, 1);
  const loss = choiceOption(
    'train',
    'loss',
    requireOption('train', 'loss', o.loss),
    ['standard', 'aligned', 'multihead'] as const,
    'aligned',
  );
  const settings = {
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
    evalSamples: d.evalSamples,
  };
  const engine = await ctx.startEngine(o.backend);
  const dataset = await resolveDataset(engine, requireOption('train', 'dataset', o.dataset));
  const start = await startingModel(
    engine,
    requireOption('train', 'model', o.model),
    settings.seed,
    dataset,
  );
  checkModelFitsDataset(start.info, start.name, dataset);
  if (settings.batchSize > dataset.trainCount)
    throw new UsageError(
      `strata train: --batch-size ${settings.batchSize} exceeds the ${dataset.trainCount} training rows`,
    );
  const L = start.info.numLayers;
  if (Array.isArray(settings.weighting) && settings.weighting.length !== L)
    throw new UsageError(
      `strata train: --schedule ${o.schedule}: ${settings.weighting.length} weights, expected one per layer of ${start.name} (${L})`,
    );

  const logs: TrainLog[] = [];
  const evals: EvalLog[] = [];
  // Set by the events (the last snapshot, taken when the run is done, holds its weights).
  let last = null as TrainSnapshot | null;
  const bar = progressBar(`training ${loss}`, steps);
  const began = performance.now();
  const trained = await engine.startTraining(
    { baseModelId: start.id, dataset: dataset.name, loss, ...settings },
    (e) => {
      if (e.type === 'log') {
        logs.push(e.log);
        bar.update(
          e.log.step,
          `loss ${e.log.loss.toFixed(4)}, ${e.log.stepsPerSecond.toFixed(1)} steps/s`,
        );
      } else if (e.type === 'eval') evals.push(e.log);
      else if (e.type === 'snapshot') last = e.snapshot;
    },
    { snapshotEvery: 0 },
  );
  const trainMs = performance.now() - began;
  bar.done(`${steps} steps in ${(trainMs / 1000).toFixed(1)} s`);
  const final = last;
  if (!final) throw new Error(`training ${trained.id} ended without its weights`);

  // Final per-layer test accuracy on the whole test split, through the engine's analysis: the
  // loss's exit classifiers (a multi-head model's heads) and the shared classifier g.
  const progress = phaseProgress();
  const test = await engine.analyze(
    {
      modelId: trained.id,
      dataset: dataset.name,
      samples: dataset.testCount,
      seed: 0,
      metrics: [],
      finalNormInHead: true,
      batchSize: DEFAULT_MINIBATCH_SIZE,
      rbfT: 0.5,
    },
    progress.onProgress,
  );
  progress.done();
  const shared = { accuracy: test.accuracy.slice(1), loss: test.loss.slice(1) }; // layers 1..L
  const exit =
    loss === 'multihead' && test.headAccuracy && test.headLoss
      ? { accuracy: test.headAccuracy, loss: test.headLoss }
      : shared;

  const recipe = {
    model: start.name,
    fromScratch: start.fromScratch,
    dataset: dataset.name,
    ...trainConfigOf({ baseModelId: start.id, dataset: dataset.name, loss, ...settings }),
  };
  const weights = readSafetensors(final.weights, 'model.safetensors');
  const metrics = {
    recipe,
    backend: ctx.backend?.name,
    trainSeconds: trainMs / 1000,
    testSamples: test.request.samples,
    perLayerAccuracy: exit.accuracy,
    perLayerLoss: exit.loss,
    sharedClassifierAccuracy: shared.accuracy,
    log: logs,
    evals,
  };
  const written = await writeOutputs(out, {
    'model.safetensors': writeSafetensors(weights.tensors, {
      ...weights.metadata,
      strata_recipe: JSON.stringify(recipe),
    }),
    'config.json': final.config,
    'metrics.json': toJson(metrics),
  });
  ctx.log(
    `wrote ${written.join(', ')}; last-layer test accuracy ${(exit.accuracy[exit.accuracy.length - 1] * 100).toFixed(2)}%`,
  );
}
