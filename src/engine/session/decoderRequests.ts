// The engine's decoder requests (GPT-2, Llama, Qwen2): hidden states and the logit lens on token
// ids or on texts read with the checkpoint's tokenizer.json. Each loads the model, runs and frees
// it: nothing stays in the engine.
import type {
  HiddenStatesRequest,
  HiddenStatesResult,
  HiddenStatesSink,
  ProgressEvent,
} from '../apiTypes';
import type { NamedArray } from '../io/dtypes';
import type { DecoderFiles, LensRequest, LensResponse } from '../decoder/decoderApiTypes';
import { decoderHiddenStates } from '../decoder/decoderHiddenStates';
import { decoderInputFromArrays, inputRows, type DecoderInput } from '../decoder/decoderInput';
import { positionLimit, readDecoderTokenizer, tokenizeTexts } from '../decoder/decoderTexts';
import { disposeDecoderParams, type DecoderParams } from '../decoder/decoderWeights';
import { decoderConfigFromHuggingFace } from '../decoder/decoderConfig';
import { loadDecoder, readConfigJson } from '../decoder/loadDecoder';
import { logitLens } from '../decoder/logitLens';
import { throwIfAborted } from '../tasks';

type OnProgress = (e: ProgressEvent) => void;

export interface DecoderInputSource {
  files: DecoderFiles;
  source: string;
  input?: NamedArray[];
  inputSource?: string;
  text?: LensRequest['text'];
}

/** Token ids as given, or the texts tokenized; checked against the model's vocabulary. */
export async function inputOf(
  request: DecoderInputSource,
  params: DecoderParams,
): Promise<{ input: DecoderInput; truncated?: number }> {
  if (request.text) {
    const tokenizer = await readDecoderTokenizer(request.files, request.source);
    const limit = positionLimit(params.config, request.files.config.path);
    const { arrays, truncated } = tokenizeTexts(tokenizer, request.text, limit);
    const where = `${request.text.source} (tokenized by ${request.files.tokenizer!.path})`;
    return { input: decoderInputFromArrays(arrays, params.config, where), truncated };
  }
  if (!request.input)
    throw new Error(`${request.source}: no input, expected token ids (input) or texts (text)`);
  const where = request.inputSource ?? 'input';
  return { input: decoderInputFromArrays(request.input, params.config, where) };
}

/** Loads the decoder (progress: bytes read, phase `load`), runs `use`, frees it whatever happens. */
export async function withLoadedDecoder<T>(
  files: DecoderFiles,
  onProgress: OnProgress | undefined,
  signal: AbortSignal | undefined,
  use: (params: DecoderParams, unused: string[]) => Promise<T>,
): Promise<T> {
  throwIfAborted(signal, 'decoder');
  const { params, unused } = await loadDecoder(files, (done, total) =>
    onProgress?.({ phase: 'load', done, total }),
  );
  try {
    return await use(params, unused);
  } finally {
    disposeDecoderParams(params);
  }
}

export async function decoderHiddenStatesOf(
  request: HiddenStatesRequest,
  onProgress?: OnProgress,
  signal?: AbortSignal,
  sink?: HiddenStatesSink,
): Promise<HiddenStatesResult> {
  const files = request.files as DecoderFiles;
  return withLoadedDecoder(files, onProgress, signal, async (params, unused) => {
    const { input } = await inputOf({ ...request, files }, params);
    const arrays = await decoderHiddenStates(params, input, {
      batchSize: request.batchSize,
      signal,
      sink,
      onProgress: (done, total) => onProgress?.({ phase: 'hidden states', done, total }),
    });
    return { arrays, format: params.config.architecture, unusedTensors: unused };
  });
}

/** The logit lens of a causal LM (logitLens.ts) on the request's ids or texts. */
export async function lensOf(
  request: LensRequest,
  onProgress?: OnProgress,
  signal?: AbortSignal,
): Promise<LensResponse> {
  // A classifier is refused before its weights are read.
  const { files } = request;
  const config = decoderConfigFromHuggingFace(await readConfigJson(files), files.config.path);
  if (config.numClasses !== undefined)
    throw new Error(
      `${request.source}: ${files.config.path} is ${config.architecture}, a classifier; the logit lens reads a language model (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM)`,
    );
  return withLoadedDecoder(request.files, onProgress, signal, async (params, unused) => {
    const { input, truncated } = await inputOf(request, params);
    const rows = inputRows(input, 0, Math.min(request.samples ?? input.n, input.n));
    const lens = await logitLens(params, rows, {
      batchSize: request.batchSize,
      signal,
      onProgress: (done, total) => onProgress?.({ phase: 'lens', done, total }),
    });
    const response: LensResponse = {
      lens,
      architecture: params.config.architecture,
      unusedTensors: unused,
    };
    if (truncated !== undefined) response.truncated = truncated;
    return response;
  });
}
