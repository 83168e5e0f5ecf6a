import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi } from '../engine/api';
import { readSafetensors, writeSafetensors } from '../engine/io/safetensors';
import { caseFolder, checkpointFiles, readCaseFile } from '../engine/import/fixtures/cases';
import { readNpy } from '../engine/io/npy';
import { nodeEngineHost } from '../engine/nodeHost';
import { checkpointFolderFiles } from './checkpointFolder';
import { resolveModel } from './resolve';

const dir = mkdtempSync(join(tmpdir(), 'strata-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let engine: EngineApi;

/** The hidden states and logits of a folder's checkpoint on its fixture's own inputs. */
async function outputs(folder: string, name: string) {
  const input = [readNpy(readCaseFile(name, 'input.npy'), 'input.npy')];
  const result = await engine.hiddenStates({
    files: await checkpointFolderFiles(folder),
    source: folder,
    input,
    inputSource: 'input.npy',
  });
  return result.arrays.map((a) => Array.from(a.data as Float32Array));
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
    engine = createEngine(nodeEngineHost());
    await engine.init({ backend: 'cpu' });
  });

  it('reads a sharded folder (index + shards) to the same outputs as model.safetensors', async () => {
    for (const name of ['deit-a', 'bert-b'])
      expect(await outputs(shardedFolder(name), name)).toEqual(
        await outputs(caseFolder(name), name),
      );
  });

  it('names the index, the tensor and the shard when a shard is missing', async () => {
    const folder = shardedFolder('vit-b');
    rmSync(join(folder, 'model-00002-of-00002.safetensors'));
    await expect(resolveModel(engine, folder, 'mnist')).rejects.toThrow(
      /model\.safetensors\.index\.json: tensor "[^"]+" \(and \d+ more\) is in shard model-00002-of-00002\.safetensors, which is missing/,
    );
  });

  it('says how to convert a folder holding only pytorch_model.bin', async () => {
    const folder = join(dir, 'pickle');
    cpSync(caseFolder('vit-b'), folder, { recursive: true });
    rmSync(join(folder, 'model.safetensors'));
    writeFileSync(join(folder, 'pytorch_model.bin'), 'not read');
    await expect(resolveModel(engine, folder, 'mnist')).rejects.toThrow(
      /pytorch_model\.bin: a PyTorch pickle, which Strata does not read.*save_pretrained\(".*", safe_serialization=True\).*save_file\(/,
    );
  });
});
