// A checkpoint folder on disk as the engine takes it: its files as Blobs opened with
// fs.openAsBlob, which read from disk slice by slice — config.json and either model.safetensors
// or an index and its shards. The engine streams the weights tensor by tensor from them.
import { existsSync, openAsBlob, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, WEIGHTS_FILE } from '../engine/checkpoint';
import type { CheckpointBlobs, ImportFile } from '../engine/apiTypes';
import { PICKLE_WEIGHTS, pickleWeightsMessage } from '../engine/import/pickleWeights';
import { INDEX_FILE } from '../engine/import/shardIndex';
import { UsageError } from './errors';

async function fileOf(folder: string, shown: string, name: string): Promise<ImportFile> {
  return { path: join(shown, name), file: await openAsBlob(join(folder, name)) };
}

/**
 * The files of the checkpoint in `folder` (named `shown/…` in messages): config.json and either
 * model.safetensors or model.safetensors.index.json with its shards. A folder with only a PyTorch
 * pickle gets a UsageError saying how to convert it.
 */
export async function checkpointFolderFiles(
  folder: string,
  shown = folder,
): Promise<CheckpointBlobs> {
  if (!existsSync(join(folder, CONFIG_FILE)))
    throw new UsageError(`${join(shown, CONFIG_FILE)} is missing`);
  const config = await fileOf(folder, shown, CONFIG_FILE);
  if (existsSync(join(folder, WEIGHTS_FILE)))
    return { config, weights: await fileOf(folder, shown, WEIGHTS_FILE) };
  if (existsSync(join(folder, INDEX_FILE))) {
    const shardNames = readdirSync(folder).filter((name) => name.endsWith('.safetensors'));
    return {
      config,
      weights: await fileOf(folder, shown, INDEX_FILE),
      shards: await Promise.all(shardNames.map((name) => fileOf(folder, shown, name))),
    };
  }
  const pickle = readdirSync(folder).find((name) => PICKLE_WEIGHTS.test(name));
  if (pickle) throw new UsageError(pickleWeightsMessage(join(shown, pickle)));
  throw new UsageError(
    `${join(shown, WEIGHTS_FILE)} is missing (expected it, or ${INDEX_FILE} with its shards, beside ${CONFIG_FILE})`,
  );
}
