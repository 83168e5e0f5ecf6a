// The tensors of a checkpoint's weights, one model.safetensors or shards listed by an index, known
// from their headers and read one at a time on demand.
import type { ByteSource } from '../io/byteSource';
import type { DType, NamedArray } from '../io/dtypes';
import { FileFormatError } from '../io/fileFormatError';
import { openSafetensors } from '../io/safetensorsStream';
import { parseShardIndex } from './shardIndex';

/** Where a checkpoint's weights are: one file, or an index and its shards by file name. */
export type WeightFiles =
  | { kind: 'single'; file: ByteSource }
  | {
      kind: 'sharded';
      /** The index's bytes (a small JSON file) and its name for messages. */
      index: { name: string; bytes: Uint8Array };
      /** The shard of that file name (as the index writes it), if it was given. */
      shard: (fileName: string) => ByteSource | undefined;
    };

/** One tensor of a checkpoint: what its header says, and how to read its values. */
export interface TensorHandle {
  name: string;
  dtype: DType;
  shape: number[];
  /** The file that holds it, for messages. */
  file: string;
  read(): Promise<NamedArray>;
}

/** Every tensor of the weights, by name; `file` names the weights in messages (the index). */
export interface CheckpointWeights {
  file: string;
  tensors: Map<string, TensorHandle>;
  /** Bytes of all tensors in their files. */
  bytes: number;
}

/**
 * Reads the headers of the weights (no tensor data). A sharded checkpoint must have every shard
 * the index names, and each shard the tensors the index puts there; errors name the index, the
 * tensor and the shard expected.
 */
export async function openWeights(weights: WeightFiles): Promise<CheckpointWeights> {
  const tensors = new Map<string, TensorHandle>();
  let bytes = 0;
  const add = async (source: ByteSource, wanted?: (name: string) => boolean) => {
    const file = await openSafetensors(source);
    for (const entry of file.entries) {
      if (wanted && !wanted(entry.name)) continue;
      tensors.set(entry.name, {
        name: entry.name,
        dtype: entry.dtype,
        shape: entry.shape,
        file: source.name,
        read: () => file.readTensor(entry),
      });
      bytes += entry.end - entry.begin;
    }
    return file;
  };
  if (weights.kind === 'single') {
    await add(weights.file);
    return { file: weights.file.name, tensors, bytes };
  }
  const indexName = weights.index.name;
  const index = parseShardIndex(weights.index.bytes, indexName);
  for (const shard of index.shards) {
    const source = weights.shard(shard);
    const listed = [...index.weightMap].filter(([, s]) => s === shard).map(([t]) => t);
    if (!source)
      throw new FileFormatError(
        indexName,
        `tensor "${listed[0]}" (and ${listed.length - 1} more) is in shard ${shard}, which is missing; expected it beside the index`,
      );
    const file = await add(source, (name) => index.weightMap.get(name) === shard);
    const held = new Set(file.entries.map((e) => e.name));
    const absent = listed.find((t) => !held.has(t));
    if (absent !== undefined)
      throw new FileFormatError(
        indexName,
        `tensor "${absent}" is listed in shard ${shard}, but ${source.name} has no such tensor`,
      );
  }
  return { file: indexName, tensors, bytes };
}
