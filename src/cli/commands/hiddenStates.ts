import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { CONFIG_FILE, WEIGHTS_FILE } from '../../engine/checkpoint';
import type { NamedArray } from '../../engine/io/dtypes';
import { readNpy } from '../../engine/io/npy';
import { readNpz } from '../../engine/io/npz';
import { writeNpzStream } from '../../engine/io/npzStream';
import { intOption, parseOptions, requireOption } from '../args';
import { CLI_ZIP_LIMITS } from '../limits';
import { checkpointFolderFiles } from '../checkpointFolder';
import { UsageError } from '../errors';
import { writePiecesAtomic } from '../output';
import { phaseProgress } from '../progress';
import { builtinModelNames, PUBLIC_DIR } from '../resolve';
import type { CommandContext } from '../context';
import { isDecoderCheckpoint } from '../../engine/decoder/loadDecoder';
import { decoderHiddenStatesToFile } from './decoderRun';

export const HIDDEN_STATES_USAGE = `strata hidden-states --model M --input FILE --out FILE.npz [--batch-size B] [--backend wasm|cpu|webgpu]
  M: a Hugging Face checkpoint folder (config.json + model.safetensors of ViTForImageClassification,
  DeiTForImageClassification, BertForSequenceClassification, RobertaForSequenceClassification,
  XLMRobertaForSequenceClassification, DistilBertForSequenceClassification, or the decoders
  GPT2LMHeadModel, GPT2ForSequenceClassification, LlamaForCausalLM, Qwen2ForCausalLM), a Strata
  checkpoint folder or a built-in model. FILE: .npy of pixel_values [N, C, H, W] float32 (ViT, DeiT),
  or of input_ids [N, T] int (text models), or .npz with input_ids and an optional attention_mask.
  Writes hidden_0 … hidden_L [N, T, D] (transformers' hidden_states; for decoders the last is after
  the final norm) and logits [N, C] ([N, T, V] for language models).`;

const spec = {
  model: { type: 'string' },
  input: { type: 'string' },
  out: { type: 'string' },
  'batch-size': { type: 'string' },
  backend: { type: 'string' },
} as const;

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path); // a Buffer is a Uint8Array: the readers view it, not copy it
  } catch (e) {
    throw new UsageError(
      `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

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

export async function readInputArrays(path: string): Promise<NamedArray[]> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.npy' && ext !== '.npz') {
    throw new UsageError(`${path}: input format "${ext}" is not read, expected .npy or .npz`);
  }
  const bytes = await readBytes(path);
  return ext === '.npy'
    ? [readNpy(bytes, basename(path))]
    : readNpz(bytes, basename(path), CLI_ZIP_LIMITS);
}

export async function hiddenStatesCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('hidden-states', argv, spec);
  const modelArg = requireOption('hidden-states', 'model', o.model);
  const inputPath = requireOption('hidden-states', 'input', o.input);
  const out = requireOption('hidden-states', 'out', o.out);
  if (extname(out).toLowerCase() !== '.npz')
    throw new UsageError(`strata hidden-states: --out ${out}: expected a file name ending in .npz`);
  const batchSize = intOption('hidden-states', 'batch-size', o['batch-size'], 16, 1, 4096);
  const folder = modelFolder(modelArg);
  const files = await checkpointFolderFiles(folder);
  const arrays = await readInputArrays(inputPath);
  const engine = await ctx.startEngine(o.backend);
  if (await isDecoderCheckpoint(files)) {
    const run = { folder, files, arrays, inputPath, batchSize };
    return decoderHiddenStatesToFile(run, out, ctx);
  }
  const bar = phaseProgress();
  const {
    arrays: states,
    format,
    unusedTensors,
  } = await engine.hiddenStates(
    {
      files,
      source: folder,
      input: arrays,
      inputSource: inputPath,
      batchSize,
    },
    bar.onProgress,
  );
  bar.done();
  // Streamed: the hidden states are the largest thing the command holds; no second copy.
  await writePiecesAtomic(out, (write) => writeNpzStream(states, write));
  const [first, logits] = [states[0], states[states.length - 1]];
  ctx.log(
    `wrote ${resolve(out)}: hidden_0 … hidden_${states.length - 2} [${first.shape.join(', ')}], logits [${logits.shape.join(', ')}] (${format}, ${ctx.backend?.name ?? 'backend'})`,
  );
  if (unusedTensors.length > 0) {
    ctx.log(
      `note: ${unusedTensors.length} checkpoint tensor(s) unused: ${unusedTensors.slice(0, 5).join(', ')}`,
    );
  }
}
