import { extname } from 'node:path';
import { decoderConfigFromHuggingFace } from '../../engine/decoder/decoderConfig';
import { readConfigJson } from '../../engine/decoder/loadDecoder';
import { logitLens } from '../../engine/decoder/logitLens';
import { intOption, parseOptions, requireOption } from '../args';
import { checkpointFolderFiles } from '../checkpointFolder';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { toJson, writeOutputs } from '../output';
import { withDecoder } from './decoderRun';
import { modelFolder, readInputArrays } from './hiddenStates';

export const LENS_USAGE = `strata lens --model M --input FILE [--samples N] [--batch-size B] --out DIR [--backend wasm|cpu]
  The logit lens of a decoder language model (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM):
  every layer l < L read through the final norm and the vocabulary projection, layer L the model's
  own logits. FILE: .npz with input_ids [N, T] and an optional attention_mask (or .npy of ids);
  --samples N takes the first N rows. Writes DIR/lens.json: {layers, accuracy, loss, tokens, kl, rank}
  per layer — next-token top-1 accuracy, cross-entropy (nats), KL(final ‖ layer) and the rank of the
  final top-1 token (1 = top), means over the \`tokens\` positions whose token and next are real.`;

const spec = {
  model: { type: 'string' },
  input: { type: 'string' },
  out: { type: 'string' },
  samples: { type: 'string' },
  'batch-size': { type: 'string' },
  backend: { type: 'string' },
} as const;

export async function lensCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('lens', argv, spec);
  const modelArg = requireOption('lens', 'model', o.model);
  const inputPath = requireOption('lens', 'input', o.input);
  const out = requireOption('lens', 'out', o.out);
  if (extname(out) !== '') throw new UsageError(`strata lens: --out ${out}: expected a folder`);
  const batchSize = intOption('lens', 'batch-size', o['batch-size'], 8, 1, 4096);
  const samples =
    o.samples === undefined
      ? undefined
      : intOption('lens', 'samples', o.samples, 1, 1, 2 ** 31 - 1);
  const folder = modelFolder(modelArg);
  const files = await checkpointFolderFiles(folder);
  // A classifier is refused before its weights are read.
  const config = decoderConfigFromHuggingFace(await readConfigJson(files), files.config.path);
  if (config.numClasses !== undefined)
    throw new UsageError(
      `strata lens: ${files.config.path}: ${config.architecture} has a classification head, expected a language model (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM)`,
    );
  const arrays = await readInputArrays(inputPath);
  await ctx.startEngine(o.backend);
  const run = { folder, files, arrays, inputPath, batchSize };
  const result = await withDecoder(run, ctx, (params, input, bar) => {
    const n = Math.min(samples ?? input.n, input.n);
    const rows = {
      ...input,
      n,
      ids: input.ids.subarray(0, n * input.t),
      mask: input.mask.subarray(0, n * input.t),
    };
    return logitLens(params, rows, {
      batchSize,
      onProgress: (done, total) => bar.onProgress({ phase: 'lens', done, total }),
    });
  });
  const [written] = await writeOutputs(out, { 'lens.json': toJson(result) });
  const last = result.layers.length - 1;
  ctx.log(
    `wrote ${written}: ${result.layers.length} layers over ${result.tokens} positions; accuracy ${result.accuracy[0].toFixed(3)} at layer 0 → ${result.accuracy[last].toFixed(3)} at layer ${last}`,
  );
}
