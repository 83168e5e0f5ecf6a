import { extname } from 'node:path';
import { decoderConfigFromHuggingFace } from '../../engine/decoder/decoderConfig';
import { readConfigJson } from '../../engine/decoder/loadDecoder';
import { intOption, parseOptions, requireOption } from '../args';
import { checkpointFolderFiles } from '../checkpointFolder';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { toJson, writeOutputs } from '../output';
import { phaseProgress } from '../progress';
import { DECODER_INPUT_SPEC, DECODER_INPUT_USAGE, readDecoderRun } from './decoderRun';
import { modelFolder } from './hiddenStates';

export const LENS_USAGE = `strata lens --model M (--input FILE | --text FILE) [--batch-size B] --out DIR [--backend wasm|cpu]
  The logit lens of a decoder language model (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM):
  every layer l < L read through the final norm and the vocabulary projection, layer L the model's
  own logits. Input: ${DECODER_INPUT_USAGE}
  Writes DIR/lens.json: {layers, accuracy, loss, tokens, kl, rank}
  per layer — next-token top-1 accuracy, cross-entropy (nats), KL(final ‖ layer) and the rank of the
  final top-1 token (1 = top), means over the \`tokens\` positions whose token and next are real.`;

const spec = {
  model: { type: 'string' },
  ...DECODER_INPUT_SPEC,
  out: { type: 'string' },
  'batch-size': { type: 'string' },
  backend: { type: 'string' },
} as const;

export async function lensCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('lens', argv, spec);
  const modelArg = requireOption('lens', 'model', o.model);
  const out = requireOption('lens', 'out', o.out);
  if (extname(out) !== '') throw new UsageError(`strata lens: --out ${out}: expected a folder`);
  const batchSize = intOption('lens', 'batch-size', o['batch-size'], 8, 1, 4096);
  const folder = modelFolder(modelArg);
  const configFiles = await checkpointFolderFiles(folder);
  // A classifier is refused before its weights are read.
  const config = decoderConfigFromHuggingFace(
    await readConfigJson(configFiles),
    configFiles.config.path,
  );
  if (config.numClasses !== undefined)
    throw new UsageError(
      `strata lens: ${configFiles.config.path}: ${config.architecture} has a classification head, expected a language model (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM)`,
    );
  const { files, arrays, inputPath, truncated } = await readDecoderRun(
    'lens',
    o,
    folder,
    batchSize,
  );
  const engine = await ctx.startEngine(o.backend);
  const bar = phaseProgress();
  const result = await engine
    .lens(
      { files, source: folder, input: arrays, inputSource: inputPath, batchSize },
      bar.onProgress,
    )
    .finally(() => bar.done());
  const { lens, unusedTensors } = result;
  const [written] = await writeOutputs(out, { 'lens.json': toJson(lens) });
  const last = lens.layers.length - 1;
  ctx.log(
    `wrote ${written}: ${lens.layers.length} layers over ${lens.tokens} positions; accuracy ${lens.accuracy[0].toFixed(3)} at layer 0 → ${lens.accuracy[last].toFixed(3)} at layer ${last}`,
  );
  if (unusedTensors.length > 0)
    ctx.log(
      `note: ${unusedTensors.length} checkpoint tensor(s) unused: ${unusedTensors.slice(0, 5).join(', ')}`,
    );
  if (truncated) ctx.log(`note: ${truncated} text(s) cut at --max-length ${o['max-length']}`);
}
