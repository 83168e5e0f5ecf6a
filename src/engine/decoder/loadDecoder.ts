// Opens a decoder checkpoint folder given as Blobs (config.json + model.safetensors or shards).
import { openWeights } from '../import/checkpointWeights';
import { droppedSources } from '../import/checkpointFiles';
import { parseConfigJson } from '../import/huggingface';
import { readBlobBytes } from '../import/readBlob';
import { INDEX_FILE } from '../import/shardIndex';
import type { CheckpointBlobs } from '../import/userImportTypes';
import { decoderConfigFromHuggingFace, isDecoderConfig } from './decoderConfig';
import { loadDecoderParams, type DecoderParams } from './decoderWeights';

const SMALL_FILE = 16 * 1024 * 1024;

/** config.json parsed, to tell a decoder from an encoder checkpoint before loading. */
export async function readConfigJson(files: CheckpointBlobs): Promise<unknown> {
  const bytes = await readBlobBytes(files.config.file, files.config.path, { limit: SMALL_FILE });
  return parseConfigJson(bytes, files.config.path);
}

export async function isDecoderCheckpoint(files: CheckpointBlobs): Promise<boolean> {
  return isDecoderConfig(await readConfigJson(files));
}

/** Loads a decoder, streamed tensor by tensor. Errors name the file, the key or tensor. */
export async function loadDecoder(
  files: CheckpointBlobs,
  onProgress?: (done: number, total: number) => void,
): Promise<{ params: DecoderParams; unused: string[] }> {
  const configBytes = await readBlobBytes(files.config.file, files.config.path, {
    limit: SMALL_FILE,
  });
  const config = decoderConfigFromHuggingFace(
    parseConfigJson(configBytes, files.config.path),
    files.config.path,
  );
  const index = files.weights.path.endsWith(INDEX_FILE)
    ? await readBlobBytes(files.weights.file, files.weights.path, { limit: SMALL_FILE })
    : undefined;
  const sources = droppedSources(files, configBytes, index);
  const weights = await openWeights(sources.weights);
  return loadDecoderParams(config, weights, onProgress);
}
