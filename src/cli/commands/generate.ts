import { basename, extname } from 'node:path';
import type { NamedArray } from '../../engine/io/dtypes';
import { EXIT_RULES } from '../../engine/exits/rules';
import { choiceOption, intOption, numberOption, parseOptions, requireOption } from '../args';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { toJson, writeOutputs } from '../output';
import { phaseProgress } from '../progress';
import { decoderFolderFiles } from './decoderRun';
import { readInputArrays } from './hiddenStates';
import { lmDecoderRun } from './lmDecoder';

export const GENERATE_USAGE = `strata generate --model M (--prompt TEXT | --prompt-ids ID,… | --input FILE [--samples N])
                [--max-new K] --rule ${EXIT_RULES.join('|')} --threshold T --out DIR [--backend wasm|cpu]
  Greedy generation of K new tokens (default 16) by a decoder language model where each token
  exits after the first block whose logit lens satisfies the rule (confidence: max probability ≥ T;
  entropy: ≤ T nats; patience: top-1 unchanged for T layers), else after the last. The blocks a
  token skipped take its exited hidden state as their input and compute only their keys and values
  from it (CALM's state propagation), so later tokens attend to it at every layer. The prompt but
  its last token runs through every block. --prompt: tokenized by M's tokenizer.json (special
  tokens as transformers adds them). --input: each row's real tokens are one prompt.
  Writes DIR/generate.json: per prompt its ids and the new tokens, each with its exit layer and
  confidence; with --prompt also promptText and text (the new ids decoded, special tokens skipped)
  and each token's own text.`;

export const KV_POLICY =
  'state propagation (CALM, Schuster et al. 2022): a token that exited after block e is the input of blocks e+1..L at its position; their keys and values come from it, their attention and MLP are skipped';

const spec = {
  model: { type: 'string' },
  prompt: { type: 'string' },
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
  const given = [o.prompt, o['prompt-ids'], o.input].filter((v) => v !== undefined).length;
  if (given !== 1)
    throw new UsageError(
      'strata generate: give either --prompt-ids ID,… or --input FILE (or --prompt TEXT), one of them',
    );
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
  const inputPath = o.input ?? (o.prompt !== undefined ? '--prompt' : '--prompt-ids');
  const arrays =
    o.input !== undefined
      ? await readInputArrays(o.input)
      : o['prompt-ids'] !== undefined
        ? promptArrays(o['prompt-ids'])
        : [];
  const run = await lmDecoderRun('generate', modelArg, arrays, inputPath, 1);
  const files = await decoderFolderFiles(run.folder);
  if (o.prompt !== undefined && !files.tokenizer)
    throw new UsageError(
      `strata generate: --prompt: the model folder ${run.folder} has no tokenizer.json (expected it beside ${files.config.path} to read the prompt; or give token ids with --prompt-ids)`,
    );
  const engine = await ctx.startEngine(o.backend);
  const bar = phaseProgress();
  const result = await engine
    .generate(
      {
        files,
        source: run.folder,
        ...(o.prompt !== undefined
          ? { text: { texts: [o.prompt], source: '--prompt' } }
          : { input: arrays, inputSource: inputPath }),
        samples,
        maxNew,
        rule,
        threshold,
      },
      // One bar per prompt, not one per token.
      (e) => e.phase !== 'tokens' && bar.onProgress(e),
    )
    .finally(() => bar.done());
  if (result.unusedTensors.length > 0)
    ctx.log(
      `note: ${result.unusedTensors.length} checkpoint tensor(s) unused: ${result.unusedTensors.slice(0, 5).join(', ')}`,
    );
  const all = result.samples.flatMap((p) => p.tokens);
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
    samples: result.samples,
  };
  const [written] = await writeOutputs(out, { 'generate.json': toJson(report) });
  for (const [k, p] of result.samples.entries())
    ctx.log(`prompt ${k}: ${p.tokens.map((g) => `${g.token}@${g.exitLayer}`).join(' ')}`);
  for (const p of result.samples)
    if (p.text !== undefined)
      ctx.log(`${JSON.stringify(p.promptText)} → ${JSON.stringify(p.text)}`);
  ctx.log(`wrote ${written}: mean exit layer ${meanExitLayer.toFixed(2)} of ${result.layers}`);
}
