import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from './tf';
import { initNodeBackend } from './nodeBackend';
import { checkTensorFitsDevice, tensorBeyondLimits } from './gpuLimits';
import { configFromHuggingFace } from './import/hfConfig';
import { paramsFromTensorReads } from './model/streamedParams';
import { paramSpecs } from './model/params';

const MiB = 1024 ** 2;

describe('tensorBeyondLimits', () => {
  const limits = { maxStorageBufferBindingSize: 128 * MiB, maxBufferSize: 256 * MiB };

  it('lets a tensor up to the smaller limit through', () => {
    expect(tensorBeyondLimits('w', 128 * MiB, limits)).toBeNull();
  });

  it('names the tensor, its size and the limit it is beyond', () => {
    expect(
      tensorBeyondLimits('bert.embeddings.word_embeddings.weight', 128 * MiB + 4, limits),
    ).toBe(
      "tensor bert.embeddings.word_embeddings.weight is 128.0 MB (134217732 bytes as float32), beyond this WebGPU device's maxStorageBufferBindingSize of 128.0 MB (134217728 bytes); use the wasm or cpu backend for this model",
    );
    const small = { maxStorageBufferBindingSize: 2 * 1024 ** 3, maxBufferSize: 1024 ** 3 };
    expect(tensorBeyondLimits('w', 1024 ** 3 + 4, small)).toMatch(
      /beyond this WebGPU device's maxBufferSize of 1\.00 GB/,
    );
  });

  it('checks nothing off WebGPU', async () => {
    await initNodeBackend('cpu');
    expect(() => checkTensorFitsDevice('m.safetensors')('w', 2 ** 40)).not.toThrow();
  });
});

describe('a load refuses a tensor beyond the limits before reading anything', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('names the file, the tensor, its size and the limit; nothing read or allocated', async () => {
    const spec = configFromHuggingFace(
      {
        architectures: ['ViTForImageClassification'],
        model_type: 'vit',
        hidden_size: 16,
        num_attention_heads: 2,
        intermediate_size: 32,
        num_hidden_layers: 1,
        image_size: 8,
        patch_size: 4,
        num_channels: 3,
        id2label: { '0': 'a', '1': 'b' },
      },
      'config.json',
    );
    let reads = 0;
    const tensors = paramSpecs(spec.config).map((p) => ({
      name: p.name,
      shape: p.torchShape,
      read: async () => {
        reads += 1;
        return new Float32Array(p.torchShape.reduce((a, b) => a * b, 1));
      },
    }));
    const limits = { maxStorageBufferBindingSize: 2000, maxBufferSize: 4096 };
    const before = tf.memory().numTensors;
    await expect(
      paramsFromTensorReads(tensors, spec.config, {
        source: 'm.safetensors',
        beforeUpload: (name, bytes) => {
          const why = tensorBeyondLimits(name, bytes, limits);
          if (why) throw new Error(`m.safetensors: ${why}`);
        },
      }),
    ).rejects.toThrow(
      "m.safetensors: tensor vit.embeddings.patch_embeddings.projection.weight is 3.0 kB (3072 bytes as float32), beyond this WebGPU device's maxStorageBufferBindingSize of 2.0 kB (2000 bytes); use the wasm or cpu backend for this model",
    );
    expect(reads).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
