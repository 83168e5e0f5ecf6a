// A dropped checkpoint reviewed from config.json and the weights' headers alone: what it is and
// which datasets can feed it, within a second of the drop; its weights are read later (staged).
import type { DatasetInfo, ProgressEvent } from '../apiTypes';
import { droppedSources } from '../import/checkpointFiles';
import { openModelSources, type OpenedCheckpoint } from '../import/loadModelSources';
import { MAX_IMPORT_BYTES, readBlobBytes } from '../import/readBlob';
import { wordPieceMismatch } from '../import/retokenize';
import { INDEX_FILE } from '../import/shardIndex';
import { tokenizerLimit } from '../import/tokenizerLimits';
import type { ModelImportRequest, ModelImportSummary } from '../import/userImportTypes';
import { readWordPieceTokenizer, type WordPieceTokenizer } from '../import/wordPiece';
import { datasetFit, inputShapeOf } from './datasetFit';

export interface CheckpointReview {
  opened: OpenedCheckpoint;
  summary: ModelImportSummary;
  tokenizer: WordPieceTokenizer | null;
  tokenizerLimit?: string;
}

/**
 * Reads config.json (an index, a tokenizer) and the weights' headers, checks that every tensor
 * the model needs is there with its shape, and sums it up under `token`. Reads no tensor data and
 * allocates no tensor. Errors name the file and the place.
 */
export async function reviewCheckpoint(
  request: ModelImportRequest,
  datasets: readonly DatasetInfo[],
  token: string,
  onProgress?: (e: ProgressEvent) => void,
  /** Stops the reads between chunks with a ReadCancelledError (tasks.ts). */
  signal?: AbortSignal,
): Promise<CheckpointReview> {
  const read = (f: { path: string; file: Blob }, limit = MAX_IMPORT_BYTES) =>
    readBlobBytes(f.file, f.path, {
      limit,
      signal,
      onProgress: (done, total) => onProgress?.({ phase: `reading ${f.path}`, done, total }),
    });
  const small = 16 * 1024 * 1024;
  const config = await read(request.config, small);
  const index = request.weights.path.endsWith(INDEX_FILE)
    ? await read(request.weights, small)
    : undefined;
  const tokenizerBytes = request.tokenizer ? await read(request.tokenizer) : undefined;
  const opened = await openModelSources(droppedSources(request, config, index));
  const { config: c } = opened;
  let tokenizer: WordPieceTokenizer | null = null;
  const limit = tokenizerLimit(opened.format);
  if (c.architecture === 'text' && request.tokenizer && tokenizerBytes && !limit) {
    tokenizer = readWordPieceTokenizer(tokenizerBytes, request.tokenizer.path);
    const mismatch = wordPieceMismatch(tokenizer, c.vocabSize, c.padTokenId);
    if (mismatch) throw new Error(mismatch);
  }
  const summary: ModelImportSummary = {
    token,
    name: request.name,
    architecture: opened.format,
    kind: c.architecture === 'vit' ? 'image' : 'text',
    numLayers: c.numLayers,
    hiddenSize: c.hiddenSize,
    numHeads: c.numHeads,
    numClasses: c.numClasses,
    classNames: [...c.labels],
    parameters: opened.parameters,
    weights: { tensors: opened.tensors, bytes: opened.bytes },
    inputShape: inputShapeOf(c),
    notes: [...opened.notes],
    unusedTensors: opened.unusedTensors,
    datasets: datasets.map((d) => datasetFit(c, d, tokenizer, limit)),
  };
  if (limit) {
    summary.tokenizerLimit = limit;
    const what = request.tokenizer ? `${request.tokenizer.path} is not used: ` : '';
    summary.notes.push(
      `${what}${limit}; no text dataset is re-encoded for it, and its hidden states can be read from token ids (strata hidden-states)`,
    );
  } else if (tokenizer) summary.tokenizer = { file: tokenizer.file, vocabSize: tokenizer.size };
  else if (request.tokenizer)
    summary.notes.push(`${request.tokenizer.path} is not used: an image model reads pixels`);
  return { opened, summary, tokenizer, tokenizerLimit: limit };
}
