import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../engine/nodeBackend';
import { readSafetensors, writeSafetensors } from '../engine/io/safetensors';
import { caseFolder, checkpointFiles } from '../engine/import/fixtures/cases';
import { disposeParams, paramEntries } from '../engine/model/params';
import type { LoadedModel } from '../engine/pipeline/evaluate';
import { resolveModel } from './resolve';

const dir = mkdtempSync(join(tmpdir(), 'strata-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function values(model: LoadedModel) {
  const out: Record<string, number[]> = {};
  for (const { spec, variable } of paramEntries(model.params, model.config))
    out[spec.name] = Array.from(await variable.data());
  return out;
}

/** `name`'s checkpoint saved in two shards with an index, as save_pretrained(max_shard_size) does. */
function shardedFolder(name: string): string {
  const folder = join(dir, `${name}-sharded`);
  cpSync(caseFolder(name), folder, { recursive: true });
  rmSync(join(folder, 'model.safetensors'));
  const { tensors } = readSafetensors(checkpointFiles(name).weights, name);
  const weightMap: Record<string, string> = {};
  const half = Math.ceil(tensors.length / 2);
  [tensors.slice(0, half), tensors.slice(half)].forEach((part, k) => {
    const file = `model-0000${k + 1}-of-00002.safetensors`;
    writeFileSync(join(folder, file), writeSafetensors(part, { format: 'pt' }));
    for (const t of part) weightMap[t.name] = file;
  });
  writeFileSync(
    join(folder, 'model.safetensors.index.json'),
    JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }),
  );
  return folder;
}

describe('resolveModel: checkpoint folders', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('loads a sharded folder (index + shards) to the same weights as model.safetensors', async () => {
    for (const name of ['deit-a', 'bert-b']) {
      const sharded = await resolveModel(shardedFolder(name));
      const single = await resolveModel(caseFolder(name));
      expect(await values(sharded)).toEqual(await values(single));
      disposeParams(sharded.params);
      disposeParams(single.params);
    }
  });

  it('names the index, the tensor and the shard when a shard is missing', async () => {
    const folder = shardedFolder('vit-b');
    rmSync(join(folder, 'model-00002-of-00002.safetensors'));
    await expect(resolveModel(folder)).rejects.toThrow(
      /model\.safetensors\.index\.json: tensor "[^"]+" \(and \d+ more\) is in shard model-00002-of-00002\.safetensors, which is missing/,
    );
  });

  it('says how to convert a folder holding only pytorch_model.bin', async () => {
    const folder = join(dir, 'pickle');
    cpSync(caseFolder('vit-b'), folder, { recursive: true });
    rmSync(join(folder, 'model.safetensors'));
    writeFileSync(join(folder, 'pytorch_model.bin'), 'not read');
    await expect(resolveModel(folder)).rejects.toThrow(
      /pytorch_model\.bin: a PyTorch pickle, which Strata does not read.*save_pretrained\(".*", safe_serialization=True\).*save_file\(/,
    );
  });
});
