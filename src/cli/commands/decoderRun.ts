// `strata hidden-states` on a decoder checkpoint (GPT-2, Llama, Qwen2): loaded, run and written
// here, since the engine's classifier pipeline does not hold decoders.
import { resolve } from 'node:path';
import type { NamedArray } from '../../engine/io/dtypes';
import { writeNpzStream } from '../../engine/io/npzStream';
import { decoderHiddenStates } from '../../engine/decoder/decoderHiddenStates';
import { decoderInputFromArrays, type DecoderInput } from '../../engine/decoder/decoderInput';
import { disposeDecoderParams, type DecoderParams } from '../../engine/decoder/decoderWeights';
import { loadDecoder } from '../../engine/decoder/loadDecoder';
import type { CheckpointBlobs } from '../../engine/import/userImportTypes';
import type { CommandContext } from '../context';
import { writePiecesAtomic } from '../output';
import { phaseProgress } from '../progress';

export interface DecoderRun {
  folder: string;
  files: CheckpointBlobs;
  arrays: NamedArray[];
  inputPath: string;
  batchSize: number;
}

/**
 * Loads the decoder, reads the input against it, calls `use` and frees the model whatever
 * happens. Logs the tensors of the checkpoint left unused.
 */
export async function withDecoder<T>(
  run: DecoderRun,
  ctx: CommandContext,
  use: (
    params: DecoderParams,
    input: DecoderInput,
    bar: ReturnType<typeof phaseProgress>,
  ) => Promise<T>,
): Promise<T> {
  const bar = phaseProgress();
  const { params, unused } = await loadDecoder(run.files, (done, total) =>
    bar.onProgress({ phase: 'load', done, total }),
  );
  try {
    const input = decoderInputFromArrays(run.arrays, params.config, run.inputPath);
    const result = await use(params, input, bar);
    bar.done();
    if (unused.length > 0)
      ctx.log(
        `note: ${unused.length} checkpoint tensor(s) unused: ${unused.slice(0, 5).join(', ')}`,
      );
    return result;
  } finally {
    bar.done();
    disposeDecoderParams(params);
  }
}

export async function decoderHiddenStatesToFile(
  run: DecoderRun,
  out: string,
  ctx: CommandContext,
): Promise<void> {
  const { states, architecture } = await withDecoder(run, ctx, async (params, input, bar) => ({
    architecture: params.config.architecture,
    states: await decoderHiddenStates(params, input, {
      batchSize: run.batchSize,
      onProgress: (done, total) => bar.onProgress({ phase: 'hidden states', done, total }),
    }),
  }));
  await writePiecesAtomic(out, (write) => writeNpzStream(states, write));
  const [first, logits] = [states[0], states[states.length - 1]];
  ctx.log(
    `wrote ${resolve(out)}: hidden_0 … hidden_${states.length - 2} [${first.shape.join(', ')}], logits [${logits.shape.join(', ')}] (${architecture}, ${ctx.backend?.name ?? 'backend'})`,
  );
}
