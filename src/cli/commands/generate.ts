import { basename, extname } from 'node:path';
import { generateWithExits, type GeneratedToken } from '../../engine/decoder/generateExits';
import type { NamedArray } from '../../engine/io/dtypes';
import { EXIT_RULES } from '../../engine/exits/rules';
import { choiceOption, intOption, numberOption, parseOptions, requireOption } from '../args';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { toJson, writeOutputs } from '../output';
import { withDecoder } from './decoderRun';
import { readInputArrays } from './hiddenStates';
import { firstRows, lmDecoderRun } from './lmDecoder';

export const GENERATE_USAGE = `strata generate --model M (--prompt-ids ID,… | --input FILE [--samples N]) [--max-new K]
                --rule ${EXIT_RULES.join('|')} --threshold T --out DIR [--backend wasm|cpu]
  Greedy generation of K new tokens (default 16) by a decoder language model where each token
  exits after the first block whose logit lens satisfies the rule (confidence: max probability ≥ T;
  entropy: ≤ T nats; patience: top-1 unchanged for T layers), else after the last. The blocks a
  token skipped take its exited hidden state as their input and compute only their keys and values
  from it (CALM's state propagation), so later tokens attend to it at every layer. The prompt but
  its last token runs through every block. --input: each row's real tokens are one prompt.
  Writes DIR/generate.json: per prompt the tokens, each with its exit layer and confidence.`;

export const KV_POLICY =
  'state propagation (CALM, Schuster et al. 2022): a token that exited after block e is the input of blocks e+1..L at its position; their keys and values come from it, their attention and MLP are skipped';

const spec = {
  model: { type: 'string' },
  'prompt-ids': { type: 'string' },
  input: { type: 'string' },
  samples: { type: 'string' },
  'max-new': { type: 'string' },
  rule: { type: 'string' },
  threshold: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
} as const;

/** `--prompt-ids 1,2,3` as a one-row input_ids array. */
function promptArrays(value: string): NamedArray[] {
  const ids = value.split(',').map((s) => s.trim());
  const data = new Int32Array(ids.length);
  ids.forEach((s, k) => {
    const v = Number(s);
    if (s === '' || !Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1)
      throw new UsageError(
        `strata generate: --prompt-ids ${value}: "${s}" at index ${k} is not a token id, expected integers ≥ 0 separated by commas`,
      );
    data[k] = v;
  });
  return [{ name: 'input_ids', dtype: 'int32', shape: [1, ids.length], data }];
}

export async function generateCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('generate', argv, spec);
  const modelArg = requireOption('generate', 'model', o.model);
  const out = requireOption('generate', 'out', o.out);
  if (extname(out) !== '') throw new UsageError(`strata generate: --out ${out}: expected a folder`);
  if ((o['prompt-ids'] === undefined) === (o.input === undefined))
    throw new UsageError('strata generate: give either --prompt-ids ID,… or --input FILE');
  const rule = choiceOption(
    'generate',
    'rule',
    requireOption('generate', 'rule', o.rule),
    EXIT_RULES,
    'confidence',
  );
  const threshold = numberOption(
    'generate',
    'threshold',
    requireOption('generate', 'threshold', o.threshold),
    0,
  );
  if (rule === 'patience' && !(Number.isInteger(threshold) && threshold >= 0))
    throw new UsageError(
      `strata generate: --threshold ${threshold}: patience counts layers, expected an integer ≥ 0`,
    );
  const maxNew = intOption('generate', 'max-new', o['max-new'], 16, 1, 4096);
  const samples =
    o.samples === undefined
      ? undefined
      : intOption('generate', 'samples', o.samples, 1, 1, 2 ** 31 - 1);
  const inputPath = o.input ?? '--prompt-ids';
  const arrays =
    o.input !== undefined ? await readInputArrays(o.input) : promptArrays(o['prompt-ids']!);
  const run = await lmDecoderRun('generate', modelArg, arrays, inputPath, 1);
  await ctx.startEngine(o.backend);
  const result = await withDecoder(run, ctx, async (params, input, bar) => {
    const rows = firstRows(input, samples);
    const prompts: { prompt: number[]; tokens: GeneratedToken[] }[] = [];
    for (let r = 0; r < rows.n; r++) {
      const prompt: number[] = [];
      for (let k = r * rows.t; k < (r + 1) * rows.t; k++)
        if (rows.mask[k] === 1) prompt.push(rows.ids[k]);
      const tokens = await generateWithExits(params, prompt, { maxNew, rule, threshold });
      prompts.push({ prompt, tokens });
      bar.onProgress({ phase: 'generate', done: r + 1, total: rows.n });
    }
    return { architecture: params.config.architecture, layers: params.config.numLayers, prompts };
  });
  const all = result.prompts.flatMap((p) => p.tokens);
  const meanExitLayer = all.reduce((s, g) => s + g.exitLayer, 0) / all.length;
  const report = {
    model: basename(run.folder),
    architecture: result.architecture,
    layers: result.layers,
    rule,
    threshold,
    maxNew,
    skippedLayers: KV_POLICY,
    meanExitLayer,
    samples: result.prompts,
  };
  const [written] = await writeOutputs(out, { 'generate.json': toJson(report) });
  for (const [k, p] of result.prompts.entries())
    ctx.log(`prompt ${k}: ${p.tokens.map((g) => `${g.token}@${g.exitLayer}`).join(' ')}`);
  ctx.log(`wrote ${written}: mean exit layer ${meanExitLayer.toFixed(2)} of ${result.layers}`);
}
