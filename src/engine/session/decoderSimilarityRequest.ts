// The engine's decoder similarity request: one decoder's (or two decoders') pooled hidden states
// through the similarity measures. Texts are tokenized once, by the first model's tokenizer, so
// both models read the same ids; each model is loaded, read and freed in turn.
import type { ProgressEvent } from '../apiTypes';
import type { NamedArray } from '../io/dtypes';
import type {
  DecoderFiles,
  DecoderSimilarityRequest,
  DecoderSimilarityResponse,
} from '../decoder/decoderApiTypes';
import {
  decoderConfigFromHuggingFace,
  isDecoderConfig,
  type DecoderConfig,
} from '../decoder/decoderConfig';
import { decoderInputFromArrays, inputRows } from '../decoder/decoderInput';
import { decoderLayerRows } from '../decoder/decoderLayerRows';
import { decoderRowFacts } from '../decoder/decoderSimilarity';
import { positionLimit, readDecoderTokenizer, tokenizeTexts } from '../decoder/decoderTexts';
import { readConfigJson } from '../decoder/loadDecoder';
import { memoryLayerRows } from '../metrics/layerRows';
import { analyzeLayerRows } from '../pipeline/analyze';
import { analyzeAcross } from '../pipeline/analyzeAcross';
import { withLoadedDecoder } from './decoderRequests';

type OnProgress = (e: ProgressEvent) => void;

async function decoderConfigOf(files: DecoderFiles, source: string): Promise<DecoderConfig> {
  const json = await readConfigJson(files);
  if (!isDecoderConfig(json))
    throw new Error(
      `${source}: ${files.config.path} is not a decoder checkpoint, expected GPT-2, Llama or Qwen2`,
    );
  return decoderConfigFromHuggingFace(json, files.config.path);
}

/** The request's ids as given, or its texts through the first model's tokenizer. */
async function idsOf(
  request: DecoderSimilarityRequest,
  config: DecoderConfig,
): Promise<{ arrays: NamedArray[]; where: string; truncated?: number }> {
  if (request.text) {
    const tokenizer = await readDecoderTokenizer(request.files, request.source);
    const limit = positionLimit(config, request.files.config.path);
    const { arrays, truncated } = tokenizeTexts(tokenizer, request.text, limit);
    const where = `${request.text.source} (tokenized by ${request.files.tokenizer!.path})`;
    return { arrays, where, truncated };
  }
  if (!request.input)
    throw new Error(`${request.source}: no input, expected token ids (input) or texts (text)`);
  return { arrays: request.input, where: request.inputSource ?? 'input' };
}

/** Similarity matrices of pooled hidden states; progress `load` then `hidden states` per model. */
export async function decoderSimilarityOf(
  request: DecoderSimilarityRequest,
  onProgress?: OnProgress,
  signal?: AbortSignal,
): Promise<DecoderSimilarityResponse> {
  const config = await decoderConfigOf(request.files, request.source);
  const { versus } = request;
  if (versus) {
    const other = await decoderConfigOf(versus.files, versus.source);
    // Checked before loading: the same ids must mean the same tokens to both models.
    if (other.vocabSize !== config.vocabSize)
      throw new Error(
        `${versus.source}: a vocabulary of ${other.vocabSize} tokens, ${request.source} of ${config.vocabSize}; expected two decoders with the same tokenizer`,
      );
  }
  const { arrays, where, truncated } = await idsOf(request, config);
  const rowsOf = (files: DecoderFiles, maxRows: number | undefined) =>
    withLoadedDecoder(files, onProgress, signal, async (params, unused) => {
      const all = decoderInputFromArrays(arrays, params.config, where);
      const input = inputRows(all, 0, Math.min(request.samples ?? all.n, all.n));
      const rows = await decoderLayerRows(params, input, {
        pooling: request.pooling,
        maxRows,
        seed: request.seed,
        batchSize: request.batchSize ?? 16,
        signal,
        onProgress: (done, total) => onProgress?.({ phase: 'hidden states', done, total }),
      });
      return { rows, architecture: params.config.architecture, unused };
    });
  const a = await rowsOf(request.files, request.maxRows);
  const analysis = {
    batchSize: request.analysisBatchSize,
    rbfT: request.rbfT,
    knnK: request.knnK,
    signal,
  };
  const facts = decoderRowFacts(a.rows);
  const done = (
    report: DecoderSimilarityResponse['report'],
    versusArchitecture?: string,
  ): DecoderSimilarityResponse => ({
    report,
    facts,
    architecture: a.architecture,
    ...(versusArchitecture === undefined ? {} : { versusArchitecture }),
    unusedTensors: a.unused,
    ...(truncated === undefined ? {} : { truncated }),
  });
  if (!versus)
    return done(await analyzeLayerRows(memoryLayerRows(a.rows.layers), request.metrics, analysis));
  // B reads A's rows: the same cap (A's default may be below B's) gives the same positions.
  const b = await rowsOf(versus.files, a.rows.maxRows);
  const [rowsA, rowsB] = [a.rows.layers, b.rows.layers].map(memoryLayerRows);
  return done(await analyzeAcross(rowsA, rowsB, request.metrics, analysis), b.architecture);
}
