import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { PRESETS, type ModelConfig, type TextConfig, type VisionConfig } from './config';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { paramsFromNamedArrays, paramsToNamedArrays, type NamedArray } from './namedArrays';
import { INIT_STD } from './init';
import { disposeParams, initParams, paramEntries, paramSpecs, paramVariables } from './params';

const vit: VisionConfig = { ...PRESETS['vit-mnist'], numLayers: 2, heads: 'per-layer' };
const text: TextConfig = {
  ...PRESETS['text-imdb'],
  vocabSize: 30,
  maxLength: 6,
  numLayers: 2,
  pooler: true,
  embeddingNorm: true,
};

async function namedInit(config: ModelConfig, seed: number | string): Promise<NamedArray[]> {
  const params = initParams(config, seed);
  const arrays = await paramsToNamedArrays(params, config);
  disposeParams(params);
  return arrays;
}

describe('parameter record', () => {
  it('names every tensor like Hugging Face, per-layer heads as strata.layer_heads.{1..L}', () => {
    const names = paramSpecs(vit).map((s) => s.name);
    expect(names).toContain('vit.embeddings.patch_embeddings.projection.weight');
    expect(names).toContain('vit.encoder.layer.1.attention.attention.query.bias');
    expect(names).toContain('vit.layernorm.weight');
    expect(names).toContain('strata.layer_heads.1.layernorm.weight');
    expect(names).toContain('strata.layer_heads.2.classifier.weight');
    expect(names).not.toContain('strata.layer_heads.0.classifier.weight');
    expect(new Set(names).size).toBe(names.length);
    const textNames = paramSpecs(text).map((s) => s.name);
    expect(textNames).toEqual(
      expect.arrayContaining([
        'text.embeddings.word_embeddings.weight',
        'text.embeddings.cls_token',
        'text.embeddings.LayerNorm.bias',
        'text.encoder.layer.0.layernorm_before.weight',
        'text.pooler.dense.weight',
        'classifier.bias',
      ]),
    );
    const positions = paramSpecs(text).find(
      (s) => s.name === 'text.embeddings.position_embeddings.weight',
    );
    expect(positions?.torchShape).toEqual([7, 64]); // maxLength + class token
  });

  it('names post-LN blocks like BertLayer', () => {
    const names = paramSpecs({ ...text, norm: 'post' }).map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'text.encoder.layer.0.attention.self.key.weight',
        'text.encoder.layer.0.attention.output.LayerNorm.weight',
        'text.encoder.layer.0.output.LayerNorm.bias',
      ]),
    );
  });
});

describe.each(['cpu', 'wasm'] as const)('parameters on %s', (backend) => {
  it('initialises deterministically: truncated normal (std 0.02), LayerNorm 1/0, zero biases and pad row', async () => {
    await initNodeBackend(backend);
    const a = await namedInit(text, 42);
    const b = await namedInit(text, 42);
    const c = await namedInit(text, 43);
    expect(a).toEqual(b);
    expect(a.find((x) => x.name === 'classifier.weight')!.data).not.toEqual(
      c.find((x) => x.name === 'classifier.weight')!.data,
    );
    const byName = new Map(a.map((x) => [x.name, x.data]));
    const words = byName.get('text.embeddings.word_embeddings.weight')!;
    const n = words.length;
    const std = Math.sqrt(words.reduce((s, v) => s + v * v, 0) / (n - 64));
    expect(std).toBeGreaterThan(0.85 * INIT_STD); // truncation at 2σ shrinks the std to 0.88σ
    expect(std).toBeLessThan(0.92 * INIT_STD);
    expect(Math.max(...words.map(Math.abs))).toBeLessThanOrEqual(2 * INIT_STD + 1e-9);
    expect(words.subarray(0, 64).every((v) => v === 0)).toBe(true); // padTokenId 0
    expect(byName.get('text.encoder.layer.1.layernorm_after.weight')!.every((v) => v === 1)).toBe(
      true,
    );
    expect(byName.get('text.encoder.layer.1.intermediate.dense.bias')!.every((v) => v === 0)).toBe(
      true,
    );
  });

  it('draws the same values on cpu and wasm, and the same backbone with or without per-layer heads', async () => {
    await initNodeBackend('cpu');
    const onCpu = await namedInit(vit, 'seed');
    await initNodeBackend(backend);
    const here = await namedInit(vit, 'seed');
    expect(here).toEqual(onCpu);
    const shared = await namedInit({ ...vit, heads: 'shared' }, 'seed');
    expect(here.slice(0, shared.length)).toEqual(shared);
  });

  it('round-trips through named arrays (torch layout), and transposes linear weights', async () => {
    await initNodeBackend(backend);
    const params = initParams(vit, 3);
    const arrays = await paramsToNamedArrays(params, vit);
    const query = arrays.find(
      (a) => a.name === 'vit.encoder.layer.0.attention.attention.query.weight',
    )!;
    const ours = (await params.blocks[0].query.weight.data()) as Float32Array; // [in, out]
    expect(query.shape).toEqual([64, 64]);
    expect(query.data[1 * 64 + 2]).toBe(ours[2 * 64 + 1]); // torch [out=1, in=2] = ours [in=2, out=1]
    const patch = arrays.find(
      (a) => a.name === 'vit.embeddings.patch_embeddings.projection.weight',
    )!;
    expect(patch.shape).toEqual([64, 1, 7, 7]);
    const back = paramsFromNamedArrays(arrays, vit);
    expect(await paramsToNamedArrays(back, vit)).toEqual(arrays);
    disposeParams(params);
    disposeParams(back);
  });

  it('writes a model.safetensors through src/engine/io and reads it back unchanged', async () => {
    await initNodeBackend(backend);
    const params = initParams(text, 5);
    const arrays = await paramsToNamedArrays(params, text);
    const file = readSafetensors(writeSafetensors(arrays), 'model.safetensors');
    const back = paramsFromNamedArrays(file.tensors, text, {
      source: 'model.safetensors',
      strict: true,
    });
    expect(await paramsToNamedArrays(back, text)).toEqual(arrays);
    disposeParams(params);
    disposeParams(back);
  });

  it('names the tensor, its shape and the expected one when a checkpoint does not fit', async () => {
    await initNodeBackend(backend);
    const arrays = await namedInit(vit, 1);
    const before = tf.memory().numTensors;
    const key = 'vit.encoder.layer.1.attention.attention.key.weight';
    const misShaped = arrays.map((a) => (a.name === key ? { ...a, shape: [32, 128] } : a));
    expect(() => paramsFromNamedArrays(misShaped, vit, { source: 'model.safetensors' })).toThrow(
      `model.safetensors: tensor ${key} has shape [32, 128], expected [64, 64]`,
    );
    const missing = arrays.filter((a) => a.name !== 'classifier.bias');
    expect(() => paramsFromNamedArrays(missing, vit)).toThrow(
      'checkpoint: tensor classifier.bias is missing, expected shape [10]',
    );
    const nan = arrays.map((a) =>
      a.name === 'vit.layernorm.bias' ? { ...a, data: new Float32Array(64).fill(NaN) } : a,
    );
    expect(() => paramsFromNamedArrays(nan, vit)).toThrow(
      'tensor vit.layernorm.bias has a non-finite value (NaN) at flat index 0',
    );
    const extra = [
      ...arrays,
      { name: 'vit.pooler.dense.bias', shape: [64], data: new Float32Array(64) },
    ];
    expect(() => paramsFromNamedArrays(extra, vit, { strict: true })).toThrow(
      '1 tensor(s) this model does not use: vit.pooler.dense.bias',
    );
    expect(tf.memory().numTensors).toBe(before); // nothing allocated on error
    disposeParams(paramsFromNamedArrays(extra, vit)); // ignored when not strict
  });

  it('leaks nothing: initParams + disposeParams, and the named-array round trip', async () => {
    await initNodeBackend(backend);
    const cycle = async () => {
      const params = initParams(vit, 1);
      expect(paramVariables(params).length).toBe(paramEntries(params, vit).length);
      const back = paramsFromNamedArrays(await paramsToNamedArrays(params, vit), vit);
      disposeParams(params);
      disposeParams(back);
    };
    await cycle(); // warm-up
    const before = tf.memory().numTensors;
    await cycle();
    expect(tf.memory().numTensors).toBe(before);
  });
});
