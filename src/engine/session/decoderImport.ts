// A dropped decoder checkpoint (GPT-2, Llama, Qwen2 with its tokenizer.json) summed up for the
// page: every tensor read and checked, then freed. Decoders are not listed as classifiers; the
// page runs lens and hiddenStates on their files.
import type { DatasetInfo, ProgressEvent } from '../apiTypes';
import type { DecoderFiles } from '../decoder/decoderApiTypes';
import type { DecoderSummary } from '../decoder/decoderSummary';
import { readDecoderTokenizer } from '../decoder/decoderTexts';
import { disposeDecoderParams } from '../decoder/decoderWeights';
import { loadDecoder } from '../decoder/loadDecoder';
import type { ModelImportRequest, ModelImportSummary } from '../import/userImportTypes';
import { throwIfAborted } from '../tasks';

/** Why no dataset feeds a decoder: they are classification datasets. */
const NOT_A_CLASSIFIER = 'a language model reads texts for the logit lens, not labelled samples';

/**
 * Reads config.json, every tensor (shapes, dtypes, finite values) and tokenizer.json (and
 * tokenizer_config.json) of a decoder, frees the weights and sums it up under `token`. Errors
 * name the file and the place.
 */
export async function importDecoder(
  request: ModelImportRequest,
  datasets: readonly DatasetInfo[],
  token: string,
  onProgress?: (e: ProgressEvent) => void,
  signal?: AbortSignal,
): Promise<ModelImportSummary> {
  const files: DecoderFiles = request;
  // A tokenizer that cannot be read fails before the weights are.
  const tokenizer = files.tokenizer ? await readDecoderTokenizer(files, request.name) : undefined;
  throwIfAborted(signal, request.name);
  const { params, unused } = await loadDecoder(files, (done, total) =>
    onProgress?.({ phase: 'load', done, total }),
  );
  const c = params.config;
  let parameters = 0;
  for (const t of params.tensors.values()) parameters += t.size;
  const tensors = params.tensors.size;
  disposeDecoderParams(params);
  if (tokenizer && tokenizer.vocabSize > c.vocabSize)
    throw new Error(
      `${files.tokenizer!.path}: ${tokenizer.vocabSize} token ids, more than the ${c.vocabSize} rows of ${files.config.path}'s vocabulary`,
    );
  const decoder: DecoderSummary = {
    architecture: c.architecture,
    numLayers: c.numLayers,
    hiddenSize: c.hiddenSize,
    vocabSize: c.vocabSize,
    numHeads: c.numHeads,
    numKvHeads: c.numKvHeads,
    tiedHead: c.tiedHead,
  };
  if (tokenizer && files.tokenizer)
    decoder.tokenizer = {
      file: files.tokenizer.path,
      kind: tokenizer.kind,
      vocabSize: tokenizer.vocabSize,
    };
  const bytes = [files.weights, ...(files.shards ?? [])].reduce((s, f) => s + f.file.size, 0);
  const notes = tokenizer
    ? []
    : ['no tokenizer.json: the model reads token ids only (input_ids in an .npz), not texts'];
  return {
    token,
    name: request.name,
    architecture: c.architecture,
    kind: 'text',
    numLayers: c.numLayers,
    hiddenSize: c.hiddenSize,
    numHeads: c.numHeads,
    numClasses: c.numClasses ?? 0,
    classNames: [],
    parameters,
    weights: { tensors, bytes },
    inputShape: [c.maxPositions],
    notes,
    unusedTensors: unused,
    datasets: datasets.map((d) => ({ dataset: d.name, fits: false, reason: NOT_A_CLASSIFIER })),
    decoder,
  };
}
