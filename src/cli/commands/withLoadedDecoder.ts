// A decoder loaded in this process around one piece of work: what `strata train` needs to hold
// a model's variables across its steps (the other decoder commands go through the engine API,
// which loads and frees the model per request).
import { decoderInputFromArrays, type DecoderInput } from '../../engine/decoder/decoderInput';
import { disposeDecoderParams, type DecoderParams } from '../../engine/decoder/decoderWeights';
import { loadDecoder } from '../../engine/decoder/loadDecoder';
import type { CommandContext } from '../context';
import { phaseProgress } from '../progress';
import type { DecoderRun } from './decoderRun';

/**
 * Loads the decoder, reads the input against it, calls `use` and frees the model whatever
 * happens. Logs the tensors of the checkpoint left unused.
 */
export async function withLoadedDecoder<T>(
  run: Pick<DecoderRun, 'files' | 'arrays' | 'inputPath'>,
  ctx: CommandContext,
  use: (params: DecoderParams, input: DecoderInput) => Promise<T>,
): Promise<T> {
  const bar = phaseProgress();
  const { params, unused } = await loadDecoder(run.files, (done, total) =>
    bar.onProgress({ phase: 'load', done, total }),
  );
  try {
    const input = decoderInputFromArrays(run.arrays, params.config, run.inputPath);
    bar.done();
    const result = await use(params, input);
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
