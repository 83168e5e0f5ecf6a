// `model.safetensors.index.json`, as transformers' save_pretrained writes it for a checkpoint split
// into shards: {"metadata": {"total_size": …}, "weight_map": {tensor name: shard file name}}.
import { FileFormatError } from '../io/fileFormatError';

export const INDEX_FILE = 'model.safetensors.index.json';

/** A parsed index: which shard holds each tensor, and the shards in first-use order. */
export interface ShardIndex {
  /** The index as the user named it, for messages. */
  file: string;
  weightMap: Map<string, string>;
  shards: string[];
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Parses an index; errors name the file and the entry at fault. */
export function parseShardIndex(bytes: Uint8Array, file: string): ShardIndex {
  const fail = (detail: string) => new FileFormatError(file, detail);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw fail(`not valid UTF-8 JSON (${(e as Error).message})`);
  }
  const map = isRecord(json) ? json.weight_map : undefined;
  if (!isRecord(map))
    throw fail('expected an object with "weight_map": {tensor name: shard file name}');
  const weightMap = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(map)) {
    if (typeof shard !== 'string' || !/^[^/\\]+\.safetensors$/.test(shard))
      throw fail(
        `weight_map "${tensor}" is ${JSON.stringify(shard)}, expected the file name of a .safetensors shard beside the index`,
      );
    weightMap.set(tensor, shard);
  }
  if (weightMap.size === 0) throw fail('weight_map is empty, expected the tensors of the model');
  return { file, weightMap, shards: [...new Set(weightMap.values())] };
}
