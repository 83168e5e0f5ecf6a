import { existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { CONFIG_FILE, WEIGHTS_FILE } from '../../engine/checkpoint';

// Others read their input as this command does.
export { readInputArrays } from '../inputArrays';
import { readInputArrays } from '../inputArrays';
import { intOption, parseOptions, requireOption } from '../args';
import { checkpointFolderFiles } from '../checkpointFolder';
import { UsageError } from '../errors';
import { phaseProgress } from '../progress';
import { builtinModelNames, PUBLIC_DIR } from '../resolve';
import type { CommandContext } from '../context';
import { isDecoderCheckpoint } from '../../engine/decoder/loadDecoder';
import { DECODER_INPUT_SPEC, DECODER_INPUT_USAGE, readDecoderRun } from './decoderRun';
import { openNpzPieces } from './hiddenStatesNpz';

export const HIDDEN_STATES_USAGE = `strata hidden-states --model M (--input FILE | --text FILE) --out FILE.npz [--batch-size B] [--backend wasm|cpu|webgpu]
  M: a Hugging Face checkpoint folder (config.json + model.safetensors of ViTForImageClassification,
  DeiTForImageClassification, BertForSequenceClassification, RobertaForSequenceClassification,
  XLMRobertaForSequenceClassification, DistilBertForSequenceClassification, or the decoders
  GPT2LMHeadModel, GPT2ForSequenceClassification, LlamaForCausalLM, Qwen2ForCausalLM), a Strata
  checkpoint folder or a built-in model. FILE: .npy of pixel_values [N, C, H, W] float32 (ViT, DeiT),
  or of input_ids [N, T] int (text models), or .npz with input_ids and an optional attention_mask.
  Writes hidden_0 … hidden_L [N, T, D] (transformers' hidden_states; for decoders the last is after
  the final norm) and logits [N, C] ([N, T, V] for language models).
  Decoders also take ${DECODER_INPUT_USAGE}`;

const spec = {
  model: { type: 'string' },
  ...DECODER_INPUT_SPEC,
  out: { type: 'string' },
  'batch-size': { type: 'string' },
  backend: { type: 'string' },
} as const;

/** The folder of `--model`: a path to a checkpoint folder, or a built-in model's name. */
export function modelFolder(model: string): string {
  if (existsSync(model) && statSync(model).isDirectory()) {
    return resolve(model);
  }
  if (builtinModelNames().includes(model)) return join(PUBLIC_DIR, 'models', model);
  throw new UsageError(
    `model "${model}": not a checkpoint folder (${CONFIG_FILE} + ${WEIGHTS_FILE}) nor a built-in model`,
  );
}

export async function hiddenStatesCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('hidden-states', argv, spec);
  const modelArg = requireOption('hidden-states', 'model', o.model);
  const out = requireOption('hidden-states', 'out', o.out);
  if (extname(out).toLowerCase() !== '.npz')
    throw new UsageError(`strata hidden-states: --out ${out}: expected a file name ending in .npz`);
  const batchSize = intOption('hidden-states', 'batch-size', o['batch-size'], 16, 1, 4096);
  const folder = modelFolder(modelArg);
  const classifierFiles = await checkpointFolderFiles(folder);
  const decoder = await isDecoderCheckpoint(classifierFiles);
  if (!decoder) {
    const extra = (['text', 'max-length', 'samples'] as const).find((k) => o[k] !== undefined);
    if (extra)
      throw new UsageError(
        `strata hidden-states: --${extra} reads a decoder's input; ${folder} is not a decoder, give its input with --input FILE`,
      );
  }
  const { files, arrays, inputPath, truncated } = decoder
    ? await readDecoderRun('hidden-states', o, folder, batchSize)
    : {
        files: classifierFiles,
        arrays: await readInputArrays(requireOption('hidden-states', 'input', o.input)),
        inputPath: o.input!,
        truncated: undefined,
      };
  const engine = await ctx.startEngine(o.backend);
  const bar = phaseProgress();
  // Written as the engine sends it, batch by batch: no array is held whole, the logits included.
  const npz = openNpzPieces(out);
  let format: string;
  let unusedTensors: string[];
  try {
    ({ format, unusedTensors } = await engine.hiddenStates(
      { files, source: folder, input: arrays, inputSource: inputPath, batchSize },
      bar.onProgress,
      undefined,
      (piece) => npz.write(piece),
    ));
    npz.finish();
  } catch (e) {
    npz.abort();
    throw e;
  }
  bar.done();
  const written = npz.arrays();
  const [first, logits] = [written[0], written[written.length - 1]];
  ctx.log(
    `wrote ${resolve(out)}: hidden_0 … hidden_${written.length - 2} [${first.shape.join(', ')}], logits [${logits.shape.join(', ')}] (${format}, ${ctx.backend?.name ?? 'backend'})`,
  );
  if (unusedTensors.length > 0) {
    ctx.log(
      `note: ${unusedTensors.length} checkpoint tensor(s) unused: ${unusedTensors.slice(0, 5).join(', ')}`,
    );
  }
  if (truncated) ctx.log(`note: ${truncated} text(s) cut at --max-length ${o['max-length']}`);
}
