// A checkpoint as the engine's API takes it — bytes in memory (a saved fine-tune, a session file)
// or Blobs (dropped Files in the page, files opened with fs.openAsBlob in Node) — made into the
// streamed loader's sources, and loaded.
import { blobSource } from '../io/byteSource';
import type { LoadedModelFiles } from './loadModelFiles';
import { loadModelFiles } from './loadModelFiles';
import { loadModelSources, type CheckpointSources } from './loadModelSources';
import { readBlobBytes } from './readBlob';
import { INDEX_FILE } from './shardIndex';
import type { CheckpointBlobs } from './userImportTypes';

/** Strata's two checkpoint files in memory (CheckpointBytes in apiTypes.ts). */
export interface CheckpointInMemory {
  weights: Uint8Array;
  config: Uint8Array;
}

/** config.json and a shard index are small: read whole, up to this. */
const SMALL_FILE = 16 * 1024 * 1024;

export function isCheckpointBlobs(
  files: CheckpointInMemory | CheckpointBlobs,
): files is CheckpointBlobs {
  return !(files.weights instanceof Uint8Array);
}

/** The loader's sources of Blob files whose config.json (and index, when sharded) were read. */
export function droppedSources(
  files: CheckpointBlobs,
  config: Uint8Array,
  index: Uint8Array | undefined,
): CheckpointSources {
  const configFile = { name: files.config.path, bytes: config };
  const { path, file } = files.weights;
  if (!index)
    return { config: configFile, weights: { kind: 'single', file: blobSource(file, path) } };
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  const shards = files.shards ?? [];
  return {
    config: configFile,
    weights: {
      kind: 'sharded',
      index: { name: path, bytes: index },
      shard: (name) => {
        const found =
          shards.find((s) => s.path === `${folder}${name}`) ??
          shards.find((s) => s.path.slice(s.path.lastIndexOf('/') + 1) === name);
        return found && blobSource(found.file, found.path);
      },
    },
  };
}

/**
 * Loads a checkpoint given as bytes (read in memory, named `source` in messages) or as Blobs
 * (streamed tensor by tensor: the weights are never in memory twice; messages name the files).
 */
export async function loadCheckpointFiles(
  files: CheckpointInMemory | CheckpointBlobs,
  source: string,
): Promise<LoadedModelFiles> {
  if (!isCheckpointBlobs(files)) return loadModelFiles({ ...files, source });
  const config = await readBlobBytes(files.config.file, files.config.path, { limit: SMALL_FILE });
  const index = files.weights.path.endsWith(INDEX_FILE)
    ? await readBlobBytes(files.weights.file, files.weights.path, { limit: SMALL_FILE })
    : undefined;
  return loadModelSources(droppedSources(files, config, index));
}
