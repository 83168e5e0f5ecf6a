import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { DatasetInfo } from '../apiTypes';
import { checkpointFiles } from '../import/fixtures/cases';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { paramEntries } from '../model/params';
import type { ModelImportRequest } from '../import/userImportTypes';
import { ModelImports } from './modelImports';
import { ModelRegistry } from './models';

/** A dropped File that may only be read by slices: reading it whole fails the test. */
class SliceOnlyBlob extends Blob {
  readonly slices: number[] = [];
  override slice(start?: number, end?: number, type?: string): Blob {
    this.slices.push((end ?? this.size) - (start ?? 0));
    return super.slice(start, end, type);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('the whole weights file was read');
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    throw new Error('the whole weights file was streamed');
  }
}

const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);
const RGB8 = {
  name: 'rgb8',
  title: 'rgb8',
  kind: 'image',
  classNames: ['a', 'b', 'c'],
  inputShape: [8, 8, 3],
  trainCount: 10,
  testCount: 10,
  source: '',
  licence: '',
} as DatasetInfo;

function fresh() {
  const registry = new ModelRegistry(() => Promise.reject(new Error('no assets in this test')));
  return { registry, imports: new ModelImports(registry) };
}

async function values(registry: ModelRegistry, id: string) {
  const model = await registry.get(id);
  const out: Record<string, number[]> = {};
  for (const { spec, variable } of paramEntries(model.params, model.config))
    out[spec.name] = Array.from(await variable.data());
  return out;
}

describe('ModelImports: dropped weights are streamed', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('reads model.safetensors by slices no larger than its header or a tensor, also on reload', async () => {
    const files = checkpointFiles('vit-a');
    const weights = new SliceOnlyBlob([files.weights as Uint8Array<ArrayBuffer>]);
    const { registry, imports } = fresh();
    const summary = await imports.stage(
      {
        name: 'vit-a',
        config: { path: 'vit-a/config.json', file: blob(files.config) },
        weights: { path: 'vit-a/model.safetensors', file: weights },
      },
      [RGB8],
    );
    const { tensors } = readSafetensors(files.weights, 'x');
    const largest = Math.max(...tensors.map((t) => t.data.length * 4));
    const headerLength = new DataView(files.weights.buffer, files.weights.byteOffset).getUint32(
      0,
      true,
    );
    expect(Math.max(...weights.slices)).toBe(Math.max(largest, headerLength));
    const first = weights.slices.length;
    const info = await imports.commit(summary.token, RGB8, () => Promise.reject(new Error('-')));
    const before = await values(registry, info.id);
    // A backend switch frees the model; the next use reads the dropped File's tensors again, by
    // slices (the header, read at review, is known: its 8-byte length and itself are not read).
    await registry.releaseAll();
    expect(await values(registry, info.id)).toEqual(before);
    expect(weights.slices.length).toBe(2 * first - 2);
    const model = await registry.get(info.id);
    for (const { variable } of paramEntries(model.params, model.config)) variable.dispose();
  });

  it('stages a sharded drop (index + shards) with the same weights as the single file', async () => {
    const files = checkpointFiles('vit-a');
    const { tensors } = readSafetensors(files.weights, 'vit-a');
    const weightMap: Record<string, string> = {};
    const shards = [tensors.slice(0, 5), tensors.slice(5)].map((part, k) => {
      const name = `model-0000${k + 1}-of-00002.safetensors`;
      for (const t of part) weightMap[t.name] = name;
      return { path: `big/${name}`, file: blob(writeSafetensors(part)) };
    });
    const index = new TextEncoder().encode(JSON.stringify({ weight_map: weightMap }));
    const sharded: ModelImportRequest = {
      name: 'big',
      config: { path: 'big/config.json', file: blob(files.config) },
      weights: { path: 'big/model.safetensors.index.json', file: blob(index) },
      shards,
    };
    const { registry, imports } = fresh();
    const a = await imports.stage(sharded, [RGB8]);
    const single = await imports.stage(
      {
        ...sharded,
        weights: { path: 'big/model.safetensors', file: blob(files.weights) },
        shards: undefined,
      },
      [RGB8],
    );
    const noLoad = () => Promise.reject(new Error('-'));
    const ids = [
      (await imports.commit(a.token, RGB8, noLoad)).id,
      (await imports.commit(single.token, RGB8, noLoad)).id,
    ];
    expect(await values(registry, ids[0])).toEqual(await values(registry, ids[1]));

    const before = tf.memory().numTensors;
    await expect(imports.stage({ ...sharded, shards: shards.slice(0, 1) }, [RGB8])).rejects.toThrow(
      /^big\/model\.safetensors\.index\.json: tensor "[^"]+" \(and \d+ more\) is in shard model-00002-of-00002\.safetensors, which is missing/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('closing a used model frees its weights and forgets it', async () => {
    const files = checkpointFiles('vit-a');
    const { registry, imports } = fresh();
    const before = tf.memory();
    const summary = await imports.stage(
      {
        name: 'vit-a',
        config: { path: 'vit-a/config.json', file: blob(files.config) },
        weights: { path: 'vit-a/model.safetensors', file: blob(files.weights) },
      },
      [RGB8],
    );
    const info = await imports.commit(summary.token, RGB8, () => Promise.reject(new Error('-')));
    expect(tf.memory().numBytes - before.numBytes).toBe(summary.parameters * 4);
    await registry.close(info.id);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(registry.has(info.id)).toBe(false);
    await expect(registry.close(info.id)).rejects.toThrow(`unknown model "${info.id}"`);
  });
});
