// Every layer's hidden states of a checkpoint on the caller's inputs (`strata hidden-states`).
import type {
  CheckpointBlobs,
  HiddenStatesRequest,
  HiddenStatesResult,
  HiddenStatesSink,
  ProgressEvent,
} from '../apiTypes';
import { isDecoderCheckpoint } from '../decoder/loadDecoder';
import { computeHiddenStates } from '../import/hiddenStates';
import { loadCheckpointFiles } from '../import/checkpointFiles';
import { modelInputFromArrays } from '../import/modelInputArrays';
import { disposeParams } from '../model/params';
import { decoderHiddenStatesOf } from './decoderRequests';

/**
 * Loads the checkpoint (Strata's own, a Hugging Face classifier or a decoder), checks the inputs against it,
 * runs them through and frees the model: nothing stays in the engine. Errors name `source`,
 * `inputSource`, the array and what was expected. With `sink`, a decoder's arrays go to it batch
 * by batch; a classifier's (small beside its weights) whole, one piece per array.
 */
export async function hiddenStatesOf(
  request: HiddenStatesRequest,
  onProgress?: (e: ProgressEvent) => void,
  signal?: AbortSignal,
  sink?: HiddenStatesSink,
): Promise<HiddenStatesResult> {
  const { files } = request;
  if ('file' in files.config && (await isDecoderCheckpoint(files as CheckpointBlobs)))
    return decoderHiddenStatesOf(request, onProgress, signal, sink);
  const model = await loadCheckpointFiles(request.files, request.source);
  try {
    const input = modelInputFromArrays(request.input, model.config, request.inputSource);
    const arrays = await computeHiddenStates(model, input, {
      batchSize: request.batchSize,
      onProgress: (done, total) => onProgress?.({ phase: 'hidden states', done, total }),
    });
    const result = { arrays, format: model.format, unusedTensors: model.unusedTensors };
    if (!sink) return result;
    for (const { name, shape, data } of arrays)
      await sink({ name, shape, offset: 0, data: data as Float32Array });
    return { ...result, arrays: [] };
  } finally {
    disposeParams(model.params);
  }
}
