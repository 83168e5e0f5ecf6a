import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { bytesSource } from '../io/byteSource';
import { openWeights, type CheckpointWeights } from '../import/checkpointWeights';
import { decoderConfigFromHuggingFace } from './decoderConfig';
import { loadDecoderParams } from './decoderWeights';
import { decoderFolder } from './fixtures/decoderCases';

async function qwen(): Promise<{ weights: CheckpointWeights; json: unknown }> {
  const folder = decoderFolder('qwen2-a');
  const bytes = new Uint8Array(readFileSync(`${folder}/model.safetensors`));
  const weights = await openWeights({
    kind: 'single',
    file: bytesSource(bytes, 'q/model.safetensors'),
  });
  return { weights, json: JSON.parse(readFileSync(`${folder}/config.json`, 'utf8')) };
}

describe('loadDecoderParams', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('names the file and the tensor when one is missing or mis-shaped', async () => {
    const { weights, json } = await qwen();
    const config = decoderConfigFromHuggingFace(json, 'q/config.json');
    weights.tensors.delete('model.layers.1.self_attn.k_proj.bias');
    await expect(loadDecoderParams(config, weights)).rejects.toThrow(
      'q/model.safetensors: tensor model.layers.1.self_attn.k_proj.bias is missing, expected shape [16]',
    );
    const gqa = { ...config, numKvHeads: 4 };
    await expect(loadDecoderParams(gqa, (await qwen()).weights)).rejects.toThrow(
      'tensor model.layers.0.self_attn.k_proj.weight has shape [16, 32], expected [32, 32]',
    );
  });

  it('frees what it uploaded when a tensor holds a non-finite value', async () => {
    const { weights, json } = await qwen();
    const config = decoderConfigFromHuggingFace(json, 'q/config.json');
    const handle = weights.tensors.get('model.norm.weight')!;
    const read = handle.read;
    handle.read = async () => {
      const array = await read();
      (array.data as Float32Array)[3] = NaN;
      return array;
    };
    const before = tf.memory().numTensors;
    await expect(loadDecoderParams(config, weights)).rejects.toThrow(
      /tensor model\.norm\.weight has a non-finite value \(NaN\) at flat index 3/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('holds a tied table once, as the vocabulary projection [D, V]', async () => {
    const { weights, json } = await qwen();
    const config = decoderConfigFromHuggingFace(json, 'q/config.json');
    const { params, unused } = await loadDecoderParams(config, weights);
    expect(params.tensors.has('wte')).toBe(false);
    expect(params.tensors.get('unembed')!.shape).toEqual([32, 100]);
    expect(unused).toEqual([]);
    tf.dispose([...params.tensors.values()]);
  });
});
