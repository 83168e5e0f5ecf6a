import { sampleIndices } from '../../engine/data/order';
import { EXIT_RULES } from '../../engine/exits/rules';
import { exitTradeoff } from '../../engine/exits/tradeoff';
import { collectExitLogits } from '../../engine/pipeline/evaluate';
import { blockFlops, headFlops } from '../../engine/pipeline/flops';
import { choiceOption, intOption, parseOptions, requireOption } from '../args';
import { toJson, writeOutputs } from '../output';
import { progressBar } from '../progress';
import { checkModelFitsDataset, resolveDataset, resolveModel } from '../resolve';
import type { CommandContext } from '../context';

export const EXITS_USAGE = `strata exits --model M --dataset D --rule ${EXIT_RULES.join('|')} [--samples N] [--seed K]
             [--backend wasm|cpu] --out DIR
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
  await ctx.startBackend(o.backend);
  const model = await resolveModel(requireOption('exits', 'model', o.model));
  const dataset = await resolveDataset(requireOption('exits', 'dataset', o.dataset));
  checkModelFitsDataset(model, o.model!, dataset);
  const samples = intOption('exits', 'samples', o.samples, dataset.test.n, 1, dataset.test.n);
  const seed = intOption('exits', 'seed', o.seed, 0, 0);
  const indices =
    samples === dataset.test.n
      ? Int32Array.from({ length: samples }, (_, i) => i)
      : sampleIndices(dataset.test.n, samples, seed);
  const bar = progressBar('evaluating', samples);
  const heads = model.config.heads === 'per-layer' ? 'multihead' : 'aligned';
  const logits = await collectExitLogits(model, dataset, dataset.test, indices, {
    heads,
    onProgress: (d) => bar.update(d),
  });
  bar.done();
  const L = model.config.numLayers;
  const tradeoff = exitTradeoff(logits.logits, logits.labels, rule, {
    flopsPerLayer: Array.from({ length: L }, () => blockFlops(model.config)),
    headFlops: headFlops(model.config),
  });
  const result = {
    ...tradeoff,
    model: model.name,
    dataset: dataset.name,
    split: 'test',
    classifier:
      heads === 'multihead' ? 'per-layer heads (multi-head baseline)' : 'shared classifier',
    backend: ctx.backend?.name,
  };
  const written = await writeOutputs(out, { 'exits.json': toJson(result) });
  ctx.log(`wrote ${written.join(', ')} (${tradeoff.points.length} thresholds, ${samples} samples)`);
}
