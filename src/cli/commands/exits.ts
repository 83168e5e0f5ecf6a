import { EXIT_RULES } from '../../engine/exits/rules';
import { choiceOption, intOption, parseOptions, requireOption } from '../args';
import { toJson, writeOutputs } from '../output';
import { phaseProgress } from '../progress';
import { checkModelFitsDataset, resolveDataset, resolveModel } from '../resolve';
import type { CommandContext } from '../context';

export const EXITS_USAGE = `strata exits --model M --dataset D --rule ${EXIT_RULES.join('|')} [--samples N] [--seed K]
             [--backend wasm|cpu|webgpu] --out DIR
  Writes DIR/exits.json: {rule, layers, points: [{threshold, accuracy, meanExitLayer, speedup, flops}],
  perLayerAccuracy} on the dataset's test split (all of it unless --samples).`;

const spec = {
  model: { type: 'string' },
  dataset: { type: 'string' },
  rule: { type: 'string' },
  samples: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
} as const;

export async function exitsCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('exits', argv, spec);
  const out = requireOption('exits', 'out', o.out);
  const rule = choiceOption(
    'exits',
    'rule',
    requireOption('exits', 'rule', o.rule),
    EXIT_RULES,
    'confidence',
  );
  const engine = await ctx.startEngine(o.backend);
  const dataset = await resolveDataset(engine, requireOption('exits', 'dataset', o.dataset));
  const model = await resolveModel(engine, requireOption('exits', 'model', o.model), dataset.name);
  checkModelFitsDataset(model.info, o.model!, dataset);
  const samples = intOption('exits', 'samples', o.samples, dataset.testCount, 1, dataset.testCount);
  const seed = intOption('exits', 'seed', o.seed, 0, 0);
  const progress = phaseProgress();
  const { tradeoff, classifier } = await engine.exitTradeoff(
    { modelId: model.id, dataset: dataset.name, samples, seed, rule },
    progress.onProgress,
  );
  progress.done();
  const result = {
    ...tradeoff,
    model: model.name,
    dataset: dataset.name,
    split: 'test',
    classifier:
      classifier === 'per-layer' ? 'per-layer heads (multi-head baseline)' : 'shared classifier',
    backend: ctx.backend?.name,
  };
  const written = await writeOutputs(out, { 'exits.json': toJson(result) });
  ctx.log(`wrote ${written.join(', ')} (${tradeoff.points.length} thresholds, ${samples} samples)`);
}
