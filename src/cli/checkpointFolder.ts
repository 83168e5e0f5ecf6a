// A checkpoint folder on disk as the engine's streamed loader takes it: config.json read whole,
// the weights (model.safetensors or an index and its shards) opened for reads by range.
import { existsSync, readdirSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE, WEIGHTS_FILE } from '../engine/checkpoint';
import type { ByteSource } from '../engine/io/byteSource';
import type { CheckpointSources } from '../engine/import/loadModelSources';
import { PICKLE_WEIGHTS, pickleWeightsMessage } from '../engine/import/pickleWeights';
import { INDEX_FILE } from '../engine/import/shardIndex';
import { UsageError } from './errors';

/** A file read range by range through a file handle (opened per read: nothing stays open). */
export async function fileSource(path: string, name = path): Promise<ByteSource> {
  const { size } = await stat(path);
  return {
    name,
    size,
    async read(begin, end) {
      const handle = await open(path, 'r');
      try {
        const bytes = new Uint8Array(end - begin);
        const { bytesRead } = await handle.read(bytes, 0, bytes.length, begin);
        if (bytesRead !== bytes.length)
          throw new Error(
            `${name}: read ${bytesRead} bytes at ${begin}, expected ${bytes.length}: the file changed`,
          );
        return bytes;
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * The files of the checkpoint in `folder` (named `shown/…` in messages): config.json and either
 * model.safetensors or model.safetensors.index.json with its shards. A folder with only a PyTorch
 * pickle gets a UsageError saying how to convert it.
 */
export async function checkpointSources(
  folder: string,
  shown = folder,
): Promise<CheckpointSources> {
  const config = join(folder, CONFIG_FILE);
  if (!existsSync(config)) throw new UsageError(`${join(shown, CONFIG_FILE)} is missing`);
  const configSource = {
    name: join(shown, CONFIG_FILE),
    bytes: new Uint8Array(await readFile(config)),
  };
  if (existsSync(join(folder, WEIGHTS_FILE)))
    return {
      config: configSource,
      weights: {
        kind: 'single',
        file: await fileSource(join(folder, WEIGHTS_FILE), join(shown, WEIGHTS_FILE)),
      },
    };
  if (existsSync(join(folder, INDEX_FILE))) {
    const present = new Set(readdirSync(folder));
    const shards = new Map<string, ByteSource>();
    for (const name of present)
      if (name.endsWith('.safetensors'))
        shards.set(name, await fileSource(join(folder, name), join(shown, name)));
    return {
      config: configSource,
      weights: {
        kind: 'sharded',
        index: {
          name: join(shown, INDEX_FILE),
          bytes: new Uint8Array(await readFile(join(folder, INDEX_FILE))),
        },
        shard: (file) => shards.get(file),
      },
    };
  }
  const pickle = readdirSync(folder).find((name) => PICKLE_WEIGHTS.test(name));
  if (pickle) throw new UsageError(pickleWeightsMessage(join(shown, pickle)));
  throw new UsageError(
    `${join(shown, WEIGHTS_FILE)} is missing (expected it, or ${INDEX_FILE} with its shards, beside ${CONFIG_FILE})`,
  );
}
