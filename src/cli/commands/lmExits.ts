import { basename, extname } from 'node:path';
import { EXIT_RULES, type ExitRule } from '../../engine/exits/rules';
import { intOption, parseOptions, requireOption } from '../args';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { toJson, writeOutputs } from '../output';
import { phaseProgress } from '../progress';
import { DECODER_INPUT_SPEC, DECODER_INPUT_USAGE, readDecoderRun } from './decoderRun';
import { modelFolder } from './hiddenStates';
import { lmDecoderRun } from './lmDecoder';

export const LM_EXITS_USAGE = `strata lm-exits --model M [--versus-model B] (--input FILE | --text FILE) [--rules R,…]
                [--batch-size B] --out DIR [--backend wasm|cpu]
  Early exit of a decoder language model, teacher-forced on held-out text: at every position whose
  token and next are real, layer l's distribution is the logit lens (the model's logits at L); a
  rule (${EXIT_RULES.join(', ')}) and threshold pick each position's exit layer. Input (--text
  tokenized by M's tokenizer, both models reading the same ids): ${DECODER_INPUT_USAGE}
  Writes DIR/lm-exits.json: per model and rule {points: [{threshold, accuracy,
  perplexity, meanExitLayer, speedup}], perLayer: {accuracy, perplexity}}: next-token top-1 accuracy
  and exp(mean cross-entropy) at the exit layer against the mean exit layer. With --versus-model,
  M is reported as the standard model and B as the aligned one, on the same positions.`;

const spec = {
  model: { type: 'string' },
  'versus-model': { type: 'string' },
  ...DECODER_INPUT_SPEC,
  out: { type: 'string' },
  rules: { type: 'string' },
  'batch-size': { type: 'string' },
  backend: { type: 'string' },
} as const;

function parseRules(value: string | undefined): ExitRule[] {
  if (value === undefined) return [...EXIT_RULES];
  const rules = value.split(',').map((r) => r.trim());
  for (const r of rules)
    if (!(EXIT_RULES as readonly string[]).includes(r))
      throw new UsageError(
        `strata lm-exits: --rules ${value}: "${r}" is not a rule, expected some of ${EXIT_RULES.join(', ')}`,
      );
  return [...new Set(rules)] as ExitRule[];
}

export async function lmExitsCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('lm-exits', argv, spec);
  const modelArgs = [requireOption('lm-exits', 'model', o.model)];
  if (o['versus-model'] !== undefined) modelArgs.push(o['versus-model']);
  const out = requireOption('lm-exits', 'out', o.out);
  if (extname(out) !== '') throw new UsageError(`strata lm-exits: --out ${out}: expected a folder`);
  const batchSize = intOption('lm-exits', 'batch-size', o['batch-size'], 8, 1, 4096);
  const rules = parseRules(o.rules);
  // Texts are tokenized once, by --model's tokenizer: both models read the same ids.
  const { arrays, inputPath, truncated } = await readDecoderRun(
    'lm-exits',
    o,
    modelFolder(modelArgs[0]),
    batchSize,
  );
  const runs = [];
  for (const m of modelArgs)
    runs.push(await lmDecoderRun('lm-exits', m, arrays, inputPath, batchSize));
  if (runs.length === 2 && runs[0].vocabSize !== runs[1].vocabSize)
    throw new UsageError(
      `strata lm-exits: --model has a vocabulary of ${runs[0].vocabSize}, --versus-model ${runs[1].vocabSize}; expected one tokenizer for both`,
    );
  const engine = await ctx.startEngine(o.backend);
  const roles = runs.length === 2 ? ['standard', 'aligned'] : [undefined];
  const models = [];
  for (const [k, run] of runs.entries()) {
    const bar = phaseProgress();
    const phase = `exits ${k + 1}/${runs.length}`;
    const { architecture, layers, tokens, curves, unusedTensors } = await engine
      .lmExits(
        {
          files: run.files,
          source: run.folder,
          input: arrays,
          inputSource: inputPath,
          batchSize,
          rules,
        },
        (e) => bar.onProgress(e.phase === 'exits' ? { ...e, phase } : e),
      )
      .finally(() => bar.done());
    if (unusedTensors.length > 0)
      ctx.log(
        `note: ${unusedTensors.length} checkpoint tensor(s) unused: ${unusedTensors.slice(0, 5).join(', ')}`,
      );
    models.push({
      model: basename(run.folder),
      role: roles[k],
      architecture,
      layers,
      tokens,
      curves,
    });
  }
  const report = { input: basename(inputPath), backend: ctx.backend?.name, models };
  const [written] = await writeOutputs(out, { 'lm-exits.json': toJson(report) });
  const summary = models.map((m) => {
    const c = m.curves[rules[0]]!;
    return `${m.role ?? m.model}: ${rules[0]} ${c.points[0].meanExitLayer.toFixed(2)}…${c.points[c.points.length - 1].meanExitLayer.toFixed(2)} layers of ${m.layers}`;
  });
  ctx.log(`wrote ${written}: ${models[0].tokens} positions; ${summary.join('; ')}`);
  if (truncated) ctx.log(`note: ${truncated} text(s) cut at --max-length ${o['max-length']}`);
}
