import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { bytesSource, type ByteSource } from '../io/byteSource';
import type { NamedArray } from '../io/dtypes';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { disposeParams, paramEntries } from '../model/params';
import type { LoadedModel } from '../pipeline/evaluate';
import { checkpointFiles } from './fixtures/cases';
import { importHuggingFace } from './huggingface';
import { loadModelSources, type CheckpointSources } from './loadModelSources';
import { INDEX_FILE } from './shardIndex';

/** Every variable's values by name. */
async function values(model: LoadedModel): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const { spec, variable } of paramEntries(model.params, model.config))
    out.set(spec.name, (await variable.data()) as Float32Array);
  return out;
}

/** A ByteSource that records every range read. */
function recorded(bytes: Uint8Array, name: string) {
  const reads: [number, number][] = [];
  const inner = bytesSource(bytes, name);
  const source: ByteSource = {
    name,
    size: inner.size,
    read: (b, e) => {
      reads.push([b, e]);
      return inner.read(b, e);
    },
  };
  return { source, reads };
}

function single(name: string): CheckpointSources {
  const files = checkpointFiles(name);
  return {
    config: { name: `${name}/config.json`, bytes: files.config },
    weights: { kind: 'single', file: bytesSource(files.weights, `${name}/model.safetensors`) },
  };
}

/** The case's tensors split over `n` shards (round robin) with an index, as save_pretrained does. */
function sharded(name: string, n: number) {
  const { tensors } = readSafetensors(checkpointFiles(name).weights, name);
  const shardName = (k: number) =>
    `model-${String(k + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
  const shards = new Map<string, Uint8Array>();
  const weightMap: Record<string, string> = {};
  for (let k = 0; k < n; k++) {
    const part = tensors.filter((_, i) => i % n === k);
    shards.set(shardName(k), writeSafetensors(part, { format: 'pt' }));
    for (const t of part) weightMap[t.name] = shardName(k);
  }
  const index = { metadata: { total_size: 0 }, weight_map: weightMap };
  return { shards, index, tensors };
}

function shardedSources(
  name: string,
  shards: Map<string, Uint8Array>,
  index: unknown,
): CheckpointSources {
  return {
    config: { name: `${name}/config.json`, bytes: checkpointFiles(name).config },
    weights: {
      kind: 'sharded',
      index: {
        name: `${name}/${INDEX_FILE}`,
        bytes: new TextEncoder().encode(JSON.stringify(index)),
      },
      shard: (file) => {
        const bytes = shards.get(file);
        return bytes && bytesSource(bytes, `${name}/${file}`);
      },
    },
  };
}

describe('loadModelSources', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it.each(['vit-a', 'deit-a', 'bert-a'])(
    '%s: streamed, the same parameters as the in-memory import',
    async (name) => {
      const streamed = await loadModelSources(single(name));
      const whole = importHuggingFace(checkpointFiles(name));
      expect(streamed.format).toBe(whole.architecture);
      expect(streamed.unusedTensors).toEqual(whole.unusedTensors);
      expect(await values(streamed)).toEqual(await values(whole));
      disposeParams(streamed.params);
      disposeParams(whole.params);
    },
  );

  it('reads the header and then each tensor once, never the whole file', async () => {
    const bytes = checkpointFiles('vit-a').weights;
    const { source, reads } = recorded(bytes, 'vit-a/model.safetensors');
    const { tensors } = readSafetensors(bytes, 'x');
    const model = await loadModelSources({
      config: { name: 'vit-a/config.json', bytes: checkpointFiles('vit-a').config },
      weights: { kind: 'single', file: source },
    });
    disposeParams(model.params);
    const largest = Math.max(...tensors.map((t) => t.data.length * 4));
    // Header length, header, then one read per tensor.
    expect(reads.slice(0, 2)).toEqual([
      [0, 8],
      [8, reads[1][1]],
    ]);
    expect(reads.length).toBe(2 + tensors.length);
    expect(Math.max(...reads.slice(2).map(([b, e]) => e - b))).toBe(largest);
    expect(reads.reduce((s, [b, e]) => s + e - b, 0)).toBe(bytes.length);
  });

  it('loads a sharded checkpoint (index + shards) to the same parameters', async () => {
    for (const name of ['vit-a', 'bert-a']) {
      const { shards, index } = sharded(name, 3);
      const model = await loadModelSources(shardedSources(name, shards, index));
      const whole = importHuggingFace(checkpointFiles(name));
      expect(await values(model)).toEqual(await values(whole));
      disposeParams(model.params);
      disposeParams(whole.params);
    }
  });

  it('names the index, the tensor and the shard when a shard is missing', async () => {
    const { shards, index } = sharded('vit-a', 2);
    shards.delete('model-00002-of-00002.safetensors');
    const before = tf.memory().numTensors;
    await expect(loadModelSources(shardedSources('vit-a', shards, index))).rejects.toThrow(
      /^vit-a\/model\.safetensors\.index\.json: tensor "[^"]+" \(and \d+ more\) is in shard model-00002-of-00002\.safetensors, which is missing/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the index, the tensor and the shard when a shard lacks a listed tensor', async () => {
    const { shards, index, tensors } = sharded('vit-a', 2);
    const moved = tensors[0].name; // in shard 1; the index now says shard 2
    index.weight_map[moved] = 'model-00002-of-00002.safetensors';
    await expect(loadModelSources(shardedSources('vit-a', shards, index))).rejects.toThrow(
      `vit-a/model.safetensors.index.json: tensor "${moved}" is listed in shard model-00002-of-00002.safetensors, but vit-a/model-00002-of-00002.safetensors has no such tensor`,
    );
  });

  it('names the index when a needed tensor is in no shard', async () => {
    const { shards, index } = sharded('vit-a', 2);
    const [first, shard] = Object.entries(index.weight_map)[0];
    delete index.weight_map[first];
    // The shard still holds it, but the index is what says where tensors are.
    expect(shards.has(shard)).toBe(true);
    await expect(loadModelSources(shardedSources('vit-a', shards, index))).rejects.toThrow(
      `vit-a/model.safetensors.index.json: tensor ${first} is missing`,
    );
  });

  it('refuses a malformed index, naming it', async () => {
    const { shards } = sharded('vit-a', 2);
    await expect(
      loadModelSources(shardedSources('vit-a', shards, { weight_map: { a: '../x.bin' } })),
    ).rejects.toThrow(
      'vit-a/model.safetensors.index.json: weight_map "a" is "../x.bin", expected the file name of a .safetensors shard beside the index',
    );
  });

  it('loads float16 and bfloat16 weights, each value converted exactly', async () => {
    const files = checkpointFiles('bert-a');
    const { tensors } = readSafetensors(files.weights, 'bert-a');
    for (const dtype of ['float16', 'bfloat16'] as const) {
      const half = tensors.map((t) => ({ ...t, dtype }) as NamedArray);
      // The values the half file holds, as a float32 checkpoint read by the in-memory path.
      const rounded = readSafetensors(writeSafetensors(half), 'x').tensors.map(
        (t) => ({ ...t, dtype: 'float32' }) as NamedArray,
      );
      const reference = importHuggingFace({ ...files, weights: writeSafetensors(rounded) });
      const original = importHuggingFace(files);
      const model = await loadModelSources({
        config: { name: 'bert-a/config.json', bytes: files.config },
        weights: { kind: 'single', file: bytesSource(writeSafetensors(half), 'half') },
      });
      const got = await values(model);
      expect(got).toEqual(await values(reference));
      // Rounding to 8 (bfloat16) or 11 (float16) significant bits changed the values.
      expect(got).not.toEqual(await values(original));
      for (const m of [model, reference, original]) disposeParams(m.params);
    }
  });

  it('disposes what it uploaded when a later tensor holds a non-finite value', async () => {
    const files = checkpointFiles('vit-a');
    const { tensors } = readSafetensors(files.weights, 'vit-a');
    const last = tensors[tensors.length - 1];
    (last.data as Float32Array)[1] = NaN;
    const before = tf.memory().numTensors;
    await expect(
      loadModelSources({
        config: { name: 'vit-a/config.json', bytes: files.config },
        weights: { kind: 'single', file: bytesSource(writeSafetensors(tensors), 'w.safetensors') },
      }),
    ).rejects.toThrow(
      `w.safetensors: tensor ${last.name} has a non-finite value (NaN) at flat index 1`,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
