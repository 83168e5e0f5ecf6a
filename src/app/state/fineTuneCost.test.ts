import { describe, expect, it } from 'vitest';
import { activationBytesPerSample, fineTuneCost, formatMemory } from './fineTuneCost';

// ViT-B/16: 86M weights, 12 blocks of width 768 (12 heads), 197 tokens.
const VIT_B = { parameters: 86e6, tokensPerSample: 197, numLayers: 12, hiddenSize: 768 };
const wasm = { name: 'wasm' as const };
const gpu = { name: 'webgpu' as const, gpu: { hardware: true, description: 'nvidia' } };

describe('the cost of a fine-tune', () => {
  it('counts ViT-B: 344 MB of weights, as much for gradients, 688 MB of AdamW states', () => {
    const cost = fineTuneCost(VIT_B, 32, gpu);
    expect(cost.weights).toBe(344e6);
    expect(cost.gradients).toBe(344e6);
    expect(cost.adamw).toBe(688e6);
    expect([cost.weights, cost.adamw].map(formatMemory)).toEqual(['344 MB', '688 MB']);
    // Per sample: 4 bytes · 197 tokens · 12 blocks · (16·768 + 2·12 heads·197) = 160,903,296.
    expect(activationBytesPerSample(VIT_B)).toBe(160_903_296);
    expect(cost.activations).toBe(32 * 160_903_296);
    expect(cost.total).toBe(1_376_000_000 + 32 * 160_903_296);
    // A step: 6 · 86e6 · 197 · 32 FLOPs at 1.2 TFLOP/s.
    expect(cost.secondsPerStep).toBeCloseTo((6 * 86e6 * 197 * 32) / 1.2e12, 9);
    expect(cost.refusal).toBeNull();
  });

  it('refuses on WASM beyond its 4 GiB, naming the numbers and the batch that fits', () => {
    const cost = fineTuneCost(VIT_B, 32, wasm);
    // (4,294,967,296 − 1,376,000,000) / 160,903,296 = 18.1 samples.
    expect(cost.refusal).toBe(
      "needs ~6.52 GB (weights 344 MB, gradients 344 MB, AdamW states 688 MB, activations of 32 samples 5.15 GB); wasm holds at most 4.29 GB (WASM's 32-bit memory). A batch of 18 or fewer fits.",
    );
    expect(fineTuneCost(VIT_B, 18, wasm).refusal).toBeNull();
  });

  it('refuses on WebGPU when one tensor is beyond the device’s buffer limit', () => {
    // The MLP of one block for 32 samples: 4 · 32 · 197 · 3,072 bytes = 77.5 MB.
    const small = { maxBufferSize: 64 * 2 ** 20, maxStorageBufferBindingSize: 64 * 2 ** 20 };
    const big = { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31 };
    expect(fineTuneCost(VIT_B, 32, gpu, big).largestTensor).toBe(4 * 32 * 197 * 3072);
    expect(fineTuneCost(VIT_B, 32, gpu, big).refusal).toBeNull();
    expect(fineTuneCost(VIT_B, 32, gpu, small).refusal).toMatch(
      /^its largest tensor .* is 77 MB, beyond this WebGPU device's buffer limit of 67 MB \(maxBufferSize 67 MB\); lower the batch size\.$/,
    );
  });

  it('lets the small built-ins train anywhere', () => {
    const builtin = { parameters: 300_000, tokensPerSample: 17, numLayers: 6, hiddenSize: 64 };
    expect(fineTuneCost(builtin, 32, wasm).refusal).toBeNull();
  });
});
